import { describe, expect, it } from 'vitest';
import { getTopic, messageContracts, TOPICS, topicCatalogue } from '../src/index.js';

const DAY_MS = 86_400_000;

describe('topic catalogue', () => {
  it('lists every topic of TOPICS once, with unique names', () => {
    expect(topicCatalogue).toHaveLength(Object.keys(TOPICS).length);
    expect(new Set(topicCatalogue.map((t) => t.name)).size).toBe(topicCatalogue.length);
  });

  it('uses the agreed topic names', () => {
    expect(Object.fromEntries(Object.entries(TOPICS).map(([id, t]) => [id, t.name]))).toEqual({
      raw: 'telemetry.raw',
      readings: 'telemetry.readings',
      rejected: 'telemetry.rejected',
      aggregates: 'telemetry.aggregates',
      registryDevices: 'registry.devices',
    });
  });

  it('gives every telemetry topic at least two partitions so two instances share the work', () => {
    for (const topic of topicCatalogue.filter((t) => t.name.startsWith('telemetry.'))) {
      expect(topic.partitions, topic.name).toBeGreaterThanOrEqual(2);
      expect(topic.partitions % 2, topic.name).toBe(0);
    }
  });

  it('compacts registry.devices and keeps it forever', () => {
    expect(TOPICS.registryDevices).toMatchObject({
      cleanupPolicy: 'compact',
      retentionMs: -1,
      partitions: 3,
    });
  });

  it('keeps telemetry 7 days and dead letters 30 days', () => {
    expect([TOPICS.raw, TOPICS.readings, TOPICS.aggregates].map((t) => t.retentionMs)).toEqual([
      7 * DAY_MS,
      7 * DAY_MS,
      7 * DAY_MS,
    ]);
    expect(TOPICS.rejected.retentionMs).toBe(30 * DAY_MS);
  });

  it('describes raw values as bytes with typed headers, and the others with a message contract', () => {
    expect(TOPICS.raw.value.format).toBe('bytes');
    expect(TOPICS.raw.headers).toBe(messageContracts.rawMessageHeaders);
    for (const topic of topicCatalogue.filter((t) => t !== TOPICS.raw))
      expect(topic.value.format).toBe('json');
  });

  it('names a producer and a consumer for every topic', () => {
    for (const topic of topicCatalogue) {
      expect(topic.producers.length, topic.name).toBeGreaterThan(0);
      expect(topic.consumers.length, topic.name).toBeGreaterThan(0);
    }
  });

  it('finds a topic by name', () => {
    expect(getTopic('telemetry.rejected')).toBe(TOPICS.rejected);
    expect(getTopic('telemetry.nope')).toBeUndefined();
  });
});
