import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/domain/backoff.js';

describe('backoff', () => {
  const policy = { initialMs: 100, maxMs: 5_000 };

  it('should double from the initial delay', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, policy, () => 0))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('should never exceed the cap, however many attempts failed', () => {
    expect(backoffDelayMs(10, policy, () => 0)).toBe(5_000);
    expect(backoffDelayMs(10_000, policy, () => 0)).toBe(5_000);
  });

  it('should take up to a fifth off with jitter, never adding to the delay', () => {
    expect(backoffDelayMs(3, policy, () => 1)).toBe(640);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(720);
  });
});
