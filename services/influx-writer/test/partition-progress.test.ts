import { describe, expect, it } from 'vitest';
import { PartitionProgress } from '../src/domain/partition-progress.js';

describe('partition progress', () => {
  it('resolves a chunk that completes first in its partition', () => {
    const progress = new PartitionProgress();
    const chunk = progress.add('t|0', '9');
    expect(progress.complete(chunk)).toBe('9');
    expect(progress.pending('t|0')).toBe(0);
  });

  it('holds a newer chunk back until the older one completes, then resolves both at once', () => {
    const progress = new PartitionProgress();
    const older = progress.add('t|0', '9');
    const newer = progress.add('t|0', '19');
    expect(progress.complete(newer)).toBeUndefined();
    expect(progress.pending('t|0')).toBe(2);
    expect(progress.complete(older)).toBe('19');
    expect(progress.pending('t|0')).toBe(0);
  });

  it('keeps partitions independent', () => {
    const progress = new PartitionProgress();
    const a = progress.add('t|0', '5');
    const b = progress.add('t|1', '7');
    expect(progress.complete(b)).toBe('7');
    expect(progress.pending('t|0')).toBe(1);
    expect(progress.complete(a)).toBe('5');
  });

  it('resolves nothing for the chunks of a revoked partition', () => {
    const progress = new PartitionProgress();
    const chunk = progress.add('t|0', '5');
    progress.abandon('t|0');
    expect(progress.complete(chunk)).toBeUndefined();
    expect(progress.partitionKeys()).toEqual([]);
  });

  it('ignores a second completion of the same chunk', () => {
    const progress = new PartitionProgress();
    const first = progress.add('t|0', '5');
    const second = progress.add('t|0', '6');
    expect(progress.complete(first)).toBe('5');
    expect(progress.complete(first)).toBeUndefined();
    expect(progress.complete(second)).toBe('6');
  });
});
