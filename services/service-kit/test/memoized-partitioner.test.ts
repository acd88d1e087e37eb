import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { memoizedDefaultPartitioner } from '../src/memoized-partitioner.js';

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

describe('memoized partitioner', () => {
  it('gives the default partitioner answer for every key and partition count, also from the memo', () => {
    const memoized = memoizedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (const count of [3, 6]) {
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 300; i += 1) {
          const args = {
            topic: 't',
            partitionMetadata: metadata(count),
            message: { key: `wm-${i}`, value: 'v' },
          };
          expect(memoized(args)).toBe(reference(args));
        }
      }
    }
  });

  it('keeps an explicit partition', () => {
    const args = {
      topic: 't',
      partitionMetadata: metadata(6),
      message: { key: 'wm-1', value: 'v', partition: 4 },
    };
    expect(memoizedDefaultPartitioner()(args)).toBe(4);
  });
});
