import { silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WindowStore } from '../src/domain/index.js';
import { CheckpointFormatError, KafkaCheckpointStore, type PartitionCheckpoint } from '../src/index.js';
import { MINUTE, reading } from './dst-dataset.js';
import { KafkaHarness, kafkaBrokers, uniqueName } from './kafka-harness.js';

/** A partition's checkpoint whose snapshot holds `readings` readings of 50 devices. */
function checkpoint(partition: number, offset: number, readings: number): PartitionCheckpoint {
  const store = new WindowStore({ timeZone: 'Europe/Paris', allowedLatenessMs: 30 * 86_400_000 });
  const start = Date.parse('2026-10-20T00:00:00Z');
  for (let i = 0; i < readings; i++) {
    store.apply(
      reading(`em-${i % 50}`, 'energy.active_energy_index', start + Math.floor(i / 50) * MINUTE, 1_000 + i),
    );
  }
  return { partition, offset, snapshot: store.snapshot(), writtenAt: Date.now() };
}

describe('Kafka checkpoint store', () => {
  const harness = new KafkaHarness();
  beforeAll(() => harness.connect());
  afterAll(() => harness.close());

  it('creates a compacted topic partitioned like the input, and reads back the latest checkpoint of each partition', async () => {
    const topics = await harness.createTopics(3);
    const store = new KafkaCheckpointStore(harness.kafka, {
      topic: topics.checkpoints,
      inputTopic: topics.readings,
      groupId: uniqueName('tp-checkpoint-test'),
      brokers: kafkaBrokers(),
      clientId: 'tp-checkpoint-test',
      logger: silentLogger,
    });
    try {
      await store.prepare(3);
      const configs = await harness.admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: 2, name: topics.checkpoints, configNames: ['cleanup.policy', 'max.message.bytes'] },
        ],
      });
      const config = Object.fromEntries(
        configs.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? [],
      );
      expect(config['cleanup.policy']).toBe('compact');
      const metadata = await harness.admin.fetchTopicMetadata({ topics: [topics.checkpoints] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);

      await store.save([checkpoint(0, 10, 100), checkpoint(2, 7, 100)]);
      // Several megabytes: more than the broker's default record size, as a busy partition's state is.
      const large = checkpoint(0, 20_000, 120_000);
      const write = await store.save([large]);
      expect(write.bytes).toBeGreaterThan(2 * 1_048_576);

      const loaded = await store.load([0, 1, 2]);
      expect([...loaded.keys()].sort()).toEqual([0, 2]);
      expect(loaded.get(0)?.offset).toBe(20_000);
      expect(loaded.get(0)?.snapshot).toEqual(JSON.parse(JSON.stringify(large.snapshot)));
      expect(loaded.get(2)?.offset).toBe(7);
      expect(WindowStore.restore(loaded.get(0)?.snapshot ?? large.snapshot).openWindowCount).toBeGreaterThan(
        0,
      );
    } finally {
      await store.close();
    }
  });

  it('refuses a checkpoint written for another input topic', async () => {
    const topics = await harness.createTopics(1);
    const options = {
      topic: topics.checkpoints,
      groupId: uniqueName('tp-checkpoint-test'),
      brokers: kafkaBrokers(),
      clientId: 'tp-checkpoint-test',
      logger: silentLogger,
    };
    const writer = new KafkaCheckpointStore(harness.kafka, { ...options, inputTopic: 'another.input' });
    const reader = new KafkaCheckpointStore(harness.kafka, { ...options, inputTopic: topics.readings });
    try {
      await writer.prepare(1);
      await reader.prepare(1);
      await writer.save([checkpoint(0, 3, 10)]);
      await expect(reader.load([0])).rejects.toThrow(CheckpointFormatError);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
