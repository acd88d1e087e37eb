import type { Logger } from '@terrapulse/service-kit';
import type { Kafka } from 'kafkajs';
import { summarizeReadings, summarizeRejections } from '../../domain/device-health-batch.js';
import type { ActivationJobs } from '../../jobs/activation-job.js';
import type { DeviceStore } from '../../ports/device-store.js';
import type { RedisDeviceHealthStore } from '../redis/device-health-store.js';
import { type HealthBatch, KafkaHealthConsumer } from './health-consumer.js';

export interface HealthTrackerOptions {
  readonly kafka: Kafka;
  readonly topics: { readonly readings: string; readonly rejected: string };
  /** E.g. `${KAFKA_CLIENT_ID}-health` with the key prefix, so isolated registries never share it. */
  readonly groupId: string;
  readonly health: Pick<RedisDeviceHealthStore, 'recordReadings' | 'recordRejections'>;
  readonly store: Pick<DeviceStore, 'getMany'>;
  readonly activation: Pick<ActivationJobs, 'request'>;
  readonly logger: Logger;
  readonly onInvalid?: (topic: string) => void;
}

export interface HealthTracker {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): { connected: boolean; sinceFetchMs: number | undefined };
  /** What one batch does; exposed so tests can drive it without Kafka. */
  handle(batch: HealthBatch): Promise<void>;
}

/**
 * The health tracker: per batch of readings or rejections, updates each device's health in Redis,
 * then queues an activation for every device whose new uplinks find it provisioned or silent.
 * The batch's offsets are committed after both, so a crash in between replays the batch, and the
 * health store ignores what it already counted; activation jobs are deduplicated by record version.
 */
export function createHealthTracker(options: HealthTrackerOptions): HealthTracker {
  const consumer = new KafkaHealthConsumer(options.kafka, {
    topics: options.topics,
    groupId: options.groupId,
    logger: options.logger,
    ...(options.onInvalid !== undefined && { onInvalid: options.onInvalid }),
  });

  async function handle(batch: HealthBatch): Promise<void> {
    if (batch.rejections.length > 0)
      await options.health.recordRejections(summarizeRejections(batch.rejections));
    if (batch.readings.length === 0) return;
    const updates = summarizeReadings(batch.readings);
    const counted = await options.health.recordReadings(updates);
    // Only devices with new uplinks: a replayed batch (counted 0) must not revive a device that
    // went silent since. An activation lost in a crash comes with the device's next uplink.
    const ids = [...counted].filter(([, n]) => n > 0).map(([id]) => id);
    if (ids.length === 0) return;
    const records = await options.store.getMany(ids);
    const seen = records.flatMap((device, i) => {
      const update = updates.get(ids[i] as string);
      return device === undefined || update === undefined
        ? []
        : [{ device, seenAt: update.uplinks.at(-1) ?? 0 }];
    });
    await options.activation.request(seen);
  }

  return {
    handle,
    start: () => consumer.start(handle),
    stop: () => consumer.stop(),
    health: () => consumer.health(),
  };
}
