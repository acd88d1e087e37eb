import type { Logger } from '@terrapulse/service-kit';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { DeviceTable, type KnownDevice, parseRegistryRecord } from '../../domain/index.js';
import type { ValidatorMetrics } from '../../metrics.js';
import type { DeviceDirectory } from '../../ports/index.js';

export interface KafkaDeviceDirectoryOptions {
  readonly topic: string;
  /** Unique per process: every instance needs every device, so no group may split the topic. */
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics: Pick<ValidatorMetrics, 'registryDevices' | 'registryInvalidRecords'>;
}

/**
 * Follows the compacted registry topic from its beginning into an in-memory DeviceTable. Loaded
 * once every partition has been read up to the high watermark it had at start; changes after
 * that apply live. Offsets are never committed: each start reads the whole topic again.
 */
export class KafkaDeviceDirectory implements DeviceDirectory {
  private readonly table = new DeviceTable();
  private consumer: Consumer | undefined;
  private loaded = false;
  /** Offset to reach per partition before the table counts as loaded. */
  private readonly targets = new Map<number, bigint>();
  private markLoaded: () => void = () => {};
  private readonly loadedOnce = new Promise<void>((resolve) => {
    this.markLoaded = resolve;
  });
  private readonly stopping = new AbortController();

  readonly lookup = this.table.lookup;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaDeviceDirectoryOptions,
  ) {}

  async start(): Promise<void> {
    const { topic, groupId, logger } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) this.targets.set(p.partition, BigInt(p.high));
      }
    } finally {
      await admin.disconnect();
    }
    this.checkLoaded();
    // Short idle fetches: a stop waits for the one in flight, and the registry is mostly idle.
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 1_000 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatch: (payload) => this.apply(payload) });
    const stopped = new Promise<'stopped'>((resolve) => {
      const { signal } = this.stopping;
      if (signal.aborted) resolve('stopped');
      else signal.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    if ((await Promise.race([this.loadedOnce, stopped])) === 'stopped') {
      throw new Error('registry stopped before it was loaded');
    }
    logger.info('registry loaded', { topic, devices: this.table.size });
  }

  private async apply({ batch }: EachBatchPayload): Promise<void> {
    const { logger, metrics } = this.options;
    for (const message of batch.messages) {
      const change = parseRegistryRecord(message.key?.toString(), message.value);
      if (change.kind === 'invalid') {
        metrics.registryInvalidRecords.inc();
        logger.warn('invalid registry record ignored', {
          deviceId: change.deviceId,
          detail: change.detail,
          issues: change.issues,
          partition: batch.partition,
          offset: message.offset,
        });
      }
      this.table.apply(change);
    }
    metrics.registryDevices.set(this.table.size);
    const target = this.targets.get(batch.partition);
    if (target !== undefined && BigInt(batch.lastOffset()) + 1n >= target) {
      this.targets.delete(batch.partition);
      this.checkLoaded();
    }
  }

  private checkLoaded(): void {
    if (this.loaded || this.targets.size > 0) return;
    this.loaded = true;
    this.options.metrics.registryDevices.set(this.table.size);
    this.markLoaded();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer?.disconnect();
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  size(): number {
    return this.table.size;
  }

  /** Every device of the table as it stands now (live after start()). */
  devices(): IterableIterator<KnownDevice> {
    return this.table.values();
  }
}
