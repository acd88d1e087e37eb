import { describe, expect, it } from 'vitest';
import { computeConsumption, indexStep, type TimedValue } from '../src/domain/index.js';

const points = (...values: number[]): TimedValue[] =>
  values.map((value, i) => ({ ts: (i + 1) * 1000, value }));

describe('computeConsumption', () => {
  it('sums the increases along the chain, starting from the reading before the window', () => {
    expect(computeConsumption(points(105, 110, 118), { ts: 0, value: 100 })).toEqual({
      consumption: 18,
      resets: 0,
      rebases: 0,
    });
  });

  it('without a reading before the window, the first reading is only the baseline', () => {
    expect(computeConsumption(points(105, 110, 118)).consumption).toBe(13);
  });

  it('a counter that restarts from zero counts its new value as consumption since the reset', () => {
    // 990 -> 3: the device rebooted; 3 kWh were used since zero, then +4.
    expect(computeConsumption(points(980, 990, 3, 7))).toEqual({
      consumption: 10 + 3 + 4,
      resets: 1,
      rebases: 0,
    });
  });

  it('a meter replaced by a new one starting near zero is a reset, and the chain continues on the new meter', () => {
    const before = { ts: 0, value: 48_210.5 };
    const result = computeConsumption(points(48_212.5, 0.25, 1.5), before);
    expect(result).toEqual({ consumption: 2 + 0.25 + 1.25, resets: 1, rebases: 0 });
  });

  it('a replacement meter that did not start at zero is a rebase counted as zero consumption', () => {
    expect(computeConsumption(points(5_000, 4_100, 4_104))).toEqual({
      consumption: 4,
      resets: 0,
      rebases: 1,
    });
  });

  it('a small backward jitter is a rebase, not a reset', () => {
    expect(computeConsumption(points(100.2, 100.1, 100.4))).toMatchObject({ resets: 0, rebases: 1 });
  });

  it('the reset ratio is configurable', () => {
    const values = points(1_000, 700, 710);
    expect(computeConsumption(values).rebases).toBe(1);
    expect(computeConsumption(values, undefined, { resetRatio: 0.8 })).toEqual({
      consumption: 710,
      resets: 1,
      rebases: 0,
    });
  });

  it('gives the same result whatever the order the readings are passed in', () => {
    const inOrder = points(10, 12.1, 0.3, 0.7, 0.9, 4.4);
    const reversed = [...inOrder].reverse();
    expect(computeConsumption(reversed, { ts: 0, value: 9.9 })).toEqual(
      computeConsumption(inOrder, { ts: 0, value: 9.9 }),
    );
  });

  it('a reset is counted where the chain crosses from the previous window', () => {
    expect(computeConsumption(points(2, 5), { ts: 0, value: 9_000 })).toEqual({
      consumption: 5,
      resets: 1,
      rebases: 0,
    });
  });
});

describe('indexStep', () => {
  it('classifies each step as increase, reset or rebase', () => {
    expect(indexStep(10, 15)).toEqual({ delta: 5, kind: 'increase' });
    expect(indexStep(10, 10)).toEqual({ delta: 0, kind: 'increase' });
    expect(indexStep(10, 2)).toEqual({ delta: 2, kind: 'reset' });
    expect(indexStep(10, 9)).toEqual({ delta: 0, kind: 'rebase' });
  });

  it('never turns a negative index into negative consumption', () => {
    expect(indexStep(0, -1).delta).toBe(0);
  });
});
