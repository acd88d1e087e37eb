import type { DeviceRecord } from '@terrapulse/contracts';
import type { RegistrySink } from '../../ports/registry-sink.js';

/** What the sink needs of a Kafka producer (a kafkajs Producer fits). */
export interface RecordProducer {
  send(record: {
    topic: string;
    acks?: number;
    messages: Array<{ key: string; value: string }>;
  }): Promise<unknown>;
}

/** Records per produce request: a fleet of thousands would exceed the broker's batch size in one. */
const CHUNK = 500;

/**
 * Publishes device records to the compacted registry topic, key = deviceId, as the registry service
 * will: the latest record of a device wins, and re-publishing an unchanged fleet changes nothing.
 */
export class KafkaRegistrySink implements RegistrySink {
  constructor(
    private readonly producer: RecordProducer,
    private readonly topic: string,
  ) {}

  async publish(records: readonly DeviceRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += CHUNK) {
      const messages = records
        .slice(i, i + CHUNK)
        .map((r) => ({ key: r.deviceId, value: JSON.stringify(r) }));
      await this.producer.send({ topic: this.topic, acks: -1, messages });
    }
  }
}
