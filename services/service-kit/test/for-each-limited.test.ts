import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../src/for-each-limited.js';

describe('forEachLimited', () => {
  it('should visit every item once with no more calls in flight than the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited(
      Array.from({ length: 25 }, (_, i) => i),
      4,
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(i % 3);
        seen.push(i);
        inFlight--;
      },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  it('should reject with the failure of a call', async () => {
    await expect(
      forEachLimited([1, 2, 3], 2, async (i) => {
        if (i === 2) throw new Error('item 2 failed');
      }),
    ).rejects.toThrow('item 2 failed');
  });
});
