import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/domain/token-bucket.js';

describe('token bucket', () => {
  it('should allow a burst up to its capacity, then the rate', () => {
    const bucket = new TokenBucket(100, 10, 0);
    for (let i = 0; i < 10; i++) expect(bucket.tryTake(1, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
    expect(bucket.msUntil(1, 0)).toBe(10);
    expect(bucket.tryTake(1, 10)).toBe(true);
    expect(bucket.tryTake(1, 10)).toBe(false);
  });

  it('should average the rate over a long run', () => {
    const bucket = new TokenBucket(1000, 50, 0);
    let taken = 0;
    for (let now = 0; now <= 10_000; now++) while (bucket.tryTake(3, now)) taken += 3;
    expect(taken).toBeGreaterThanOrEqual(10_000);
    expect(taken).toBeLessThanOrEqual(10_050 + 3);
  });

  it('should let a request larger than the capacity through with a full bucket', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(bucket.tryTake(50, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
  });
});
