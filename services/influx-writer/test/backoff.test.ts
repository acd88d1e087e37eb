import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/domain/backoff.js';

const policy = { initialMs: 100, maxMs: 5_000 };

describe('retry backoff', () => {
  it('doubles the delay ceiling per failure', () => {
    const top = () => 1;
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs(attempt, policy, top))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the maximum, however long the outage', () => {
    expect(retryDelayMs(10, policy, () => 1)).toBe(5_000);
    expect(retryDelayMs(10_000, policy, () => 1)).toBe(5_000);
  });

  it('draws the delay between half the ceiling and the ceiling', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(400);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(600);
  });
});
