import type { DeviceRecord } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import { KafkaDeviceDirectory } from '@terrapulse/validator';
import type { Kafka } from 'kafkajs';
import type { Counter, Gauge } from 'prom-client';
import type { DeviceCatalog } from '../../ports/index.js';

export interface KafkaRegistryCatalogOptions {
  readonly topic: string;
  /** Unique per process: every instance reads the whole compacted topic. */
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics: { readonly registryDevices: Gauge; readonly registryInvalidRecords: Counter };
}

/**
 * The registry as the indicators see it: the validator's KafkaDeviceDirectory (the one reader of
 * the compacted `registry.devices` topic), exposed as plain DeviceRecords.
 */
export class KafkaRegistryCatalog implements DeviceCatalog {
  readonly #directory: KafkaDeviceDirectory;

  constructor(kafka: Kafka, options: KafkaRegistryCatalogOptions) {
    this.#directory = new KafkaDeviceDirectory(kafka, options);
  }

  /** Resolves once the topic has been read up to its end at start; follows it live after. */
  start(): Promise<void> {
    return this.#directory.start();
  }

  stop(): Promise<void> {
    return this.#directory.stop();
  }

  isLoaded(): boolean {
    return this.#directory.isLoaded();
  }

  size(): number {
    return this.#directory.size();
  }

  lookup(deviceId: string): DeviceRecord | undefined {
    return this.#directory.lookup(deviceId)?.record;
  }

  *all(): Iterable<DeviceRecord> {
    for (const known of this.#directory.devices()) yield known.record;
  }
}
