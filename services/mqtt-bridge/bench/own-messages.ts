import type { Delivery, UplinkSource } from '@terrapulse/mqtt-bridge';

/**
 * Wraps a bridge's MQTT source to count the run's own messages once they are acknowledged to the
 * broker, i.e. durable in Kafka. A bridge subscribes to every device's uplinks, and the broker is
 * shared: whatever else is published meanwhile flows through it too and must not be counted.
 */
export function countingSource(
  inner: UplinkSource,
  ownTopic: string,
  counts: { acknowledged: number },
): UplinkSource {
  return {
    start: (handler) =>
      inner.start((delivery) => {
        if (!delivery.topic.includes(ownTopic)) return handler(delivery);
        const counted: Delivery = {
          topic: delivery.topic,
          payload: delivery.payload,
          qos: delivery.qos,
          retain: delivery.retain,
          receivedAt: delivery.receivedAt,
          abandoned: () => delivery.abandoned(),
          settle: () => {
            counts.acknowledged += 1;
            delivery.settle();
          },
        };
        return handler(counted);
      }),
    pause: () => inner.pause(),
    stop: (options) => inner.stop(options),
    status: () => inner.status(),
  };
}
