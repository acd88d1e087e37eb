/**
 * One MQTT message as the broker delivered it to the bridge. The bridge owes the broker an
 * acknowledgement (`settle`) once the message is durable in Kafka, and not before: until then the
 * broker keeps it in the bridge's session and delivers it again after a reconnect or a restart.
 */
export interface Delivery {
  readonly topic: string;
  /** The payload bytes, never decoded: they go to Kafka unchanged. */
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** Epoch ms when the bridge read the message. */
  readonly receivedAt: number;
  /** Acknowledges the message to the broker (PUBACK for QoS 1; nothing for QoS 0). Call once. */
  settle(): void;
  /**
   * True once acknowledging has become pointless because the connection that received the
   * message closed: the broker will deliver it again, so an unsent copy may be dropped.
   * Always false for QoS 0, which nobody delivers again.
   */
  abandoned(): boolean;
}

/**
 * Called for each delivery, one at a time per connection. Returning a promise holds the
 * connection (it reads nothing more) until the promise resolves: that is the backpressure that
 * keeps the bridge's memory bounded while Kafka is slow or down.
 */
export type DeliveryHandler = (delivery: Delivery) => undefined | Promise<void>;

export interface UplinkSourceStatus {
  readonly connected: number;
  readonly total: number;
}

export interface StopSourceOptions {
  /**
   * End the broker sessions too (MQTT 5 DISCONNECT with session expiry 0): for an instance that
   * is retired for good and for tests. Messages queued for those sessions are discarded, so the
   * default keeps them for the next start with the same instance id.
   */
  readonly endSessions?: boolean;
}

/** Where uplinks come from: the broker's persistent, shared subscription. */
export interface UplinkSource {
  /** Connects, subscribes and starts handing deliveries over; resolves once every connection subscribed. */
  start(handler: DeliveryHandler): Promise<void>;
  /** Stops handing over deliveries: new ones stay un-acknowledged with the broker. Acks still go out. */
  pause(): void;
  /** Closes the connections; un-acknowledged messages stay queued in the sessions unless ended. */
  stop(options?: StopSourceOptions): Promise<void>;
  status(): UplinkSourceStatus;
}
