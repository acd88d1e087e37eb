import type { DeviceRecord } from '@terrapulse/contracts';
import { createKafka, type Logger, silentLogger } from '@terrapulse/service-kit';
import { Counter, Gauge, Registry } from 'prom-client';
import { KafkaRegistryCatalog } from './adapters/kafka/kafka-registry-catalog.js';

export interface RegistrySnapshotOptions {
  readonly brokers: readonly string[];
  /** The compacted registry topic. */
  readonly topic: string;
  /** @default 'tp-indicators' */
  readonly clientId?: string;
  readonly logger?: Logger;
}

/**
 * Every device of the compacted registry topic as it stands now: reads it to its end once, then
 * stops (CLI backfills, tests). The running service follows the topic live instead.
 */
export async function readRegistrySnapshot(options: RegistrySnapshotOptions): Promise<DeviceRecord[]> {
  const logger = options.logger ?? silentLogger;
  const clientId = options.clientId ?? 'tp-indicators';
  const registers = [new Registry()];
  const catalog = new KafkaRegistryCatalog(createKafka({ brokers: options.brokers, clientId, logger }), {
    topic: options.topic,
    groupId: `${clientId}-snapshot-${process.pid}-${Date.now()}`,
    logger,
    metrics: {
      registryDevices: new Gauge({ name: 'registry_devices', help: 'devices', registers }),
      registryInvalidRecords: new Counter({ name: 'registry_invalid', help: 'invalid', registers }),
    },
  });
  try {
    await catalog.start();
    return [...catalog.all()];
  } finally {
    await catalog.stop();
  }
}
