import { describe, expect, it } from 'vitest';
import { type TimedValue, WindowState } from '../src/domain/index.js';
import { seededRandom, shuffle } from './fixtures.js';

/** The statistics computed the plain way, from distinct readings sorted by timestamp. */
function expectedStats(readings: readonly TimedValue[]) {
  const sorted = [...new Map(readings.map((r) => [r.ts, r])).values()].sort((a, b) => a.ts - b.ts);
  const values = sorted.map((r) => r.value);
  const sum = values.reduce((acc, v) => acc + v, 0);
  const last = sorted[sorted.length - 1] as TimedValue;
  return {
    count: values.length,
    sum,
    min: Math.min(...values),
    max: Math.max(...values),
    mean: sum / values.length,
    last: last.value,
    lastTs: last.ts,
  };
}

function fill(readings: readonly TimedValue[]): WindowState {
  const window = new WindowState(0, 1_000_000);
  for (const r of readings) window.add(r.ts, r.value);
  return window;
}

describe('WindowState', () => {
  it('stats with duplicates and out-of-order input equal an independent computation', () => {
    const random = seededRandom(42);
    const distinct = Array.from({ length: 300 }, (_, i) => ({ ts: i * 3_000, value: random() * 100 - 20 }));
    const withDuplicates = [...distinct, ...distinct.filter((_, i) => i % 7 === 0)];
    const window = fill(shuffle(withDuplicates, random));
    expect(window.stats()).toEqual(expectedStats(distinct));
    expect(window.duplicates).toBe(Math.ceil(300 / 7));
    expect(window.conflicts).toBe(0);
  });

  it('sums are bit-identical whatever the arrival order', () => {
    // 0.1 + 0.2 + 0.3 differs from 0.3 + 0.2 + 0.1 in floating point: the fold order is fixed by ts.
    const readings = [0.1, 0.2, 0.3, 1e16, -1e16, 0.7].map((value, i) => ({ ts: i, value }));
    const reference = fill(readings).stats().sum;
    const random = seededRandom(3);
    for (let i = 0; i < 20; i++)
      expect(Object.is(fill(shuffle(readings, random)).stats().sum, reference)).toBe(true);
  });

  it('windows opened one after another keep their own readings (none writes the shared empty list)', () => {
    const first = new WindowState(0, 100);
    first.add(50, 1);
    first.add(20, 2);
    first.add(80, 3);
    const second = new WindowState(0, 100);
    expect(second.count).toBe(0);
    expect(second.last).toBeUndefined();
    second.add(10, 4);
    expect(first.readings()).toEqual([
      { ts: 20, value: 2 },
      { ts: 50, value: 1 },
      { ts: 80, value: 3 },
    ]);
    expect(second.readings()).toEqual([{ ts: 10, value: 4 }]);
    expect(new WindowState(0, 100).count).toBe(0);
  });

  it('a duplicate timestamp is ignored: the first value wins and the conflict is counted', () => {
    const window = new WindowState(0, 100);
    expect(window.add(10, 5)).toBe('added');
    expect(window.add(10, 5)).toBe('duplicate');
    expect(window.add(10, 6)).toBe('duplicate');
    expect(window.stats()).toMatchObject({ count: 1, sum: 5, last: 5 });
    expect([window.duplicates, window.conflicts]).toEqual([2, 1]);
  });

  it('last is the value at the greatest timestamp, not the last to arrive', () => {
    const window = new WindowState(0, 100);
    window.add(50, 1);
    window.add(20, 2);
    expect(window.stats()).toMatchObject({ last: 1, lastTs: 50 });
  });

  it('statistics stay right when readings alternate between stats calls and late inserts', () => {
    const window = new WindowState(0, 100);
    const seen: TimedValue[] = [];
    for (const [ts, value] of [
      [10, 1.1],
      [30, 2.2],
      [20, 3.3],
      [40, 4.4],
      [5, 5.5],
    ] as const) {
      window.add(ts, value);
      seen.push({ ts, value });
      expect(window.stats()).toEqual(expectedStats(seen));
    }
  });

  it('consumption is recomputed when the chain start changes and extended when readings append', () => {
    const window = new WindowState(0, 100);
    window.add(10, 110);
    expect(window.consumption({ ts: -5, value: 100 }, 0.5).consumption).toBe(10);
    window.add(20, 115);
    expect(window.consumption({ ts: -5, value: 100 }, 0.5).consumption).toBe(15);
    expect(window.consumption({ ts: -1, value: 108 }, 0.5).consumption).toBe(7);
    expect(window.consumption(undefined, 0.5).consumption).toBe(5);
    window.add(15, 112);
    expect(window.consumption(undefined, 0.5).consumption).toBe(5);
  });

  it('a snapshot restores an identical window', () => {
    const window = fill([
      { ts: 3, value: 1 },
      { ts: 1, value: 2 },
      { ts: 3, value: 9 },
    ]);
    const restored = WindowState.fromSnapshot(JSON.parse(JSON.stringify(window.toSnapshot())));
    expect(restored.stats()).toEqual(window.stats());
    expect(restored.readings()).toEqual(window.readings());
    expect([restored.duplicates, restored.conflicts]).toEqual([1, 1]);
  });

  it('a snapshot with a reading outside the window is refused', () => {
    const snapshot = { start: 0, end: 10, ts: [12], values: [1], duplicates: 0, conflicts: 0 };
    expect(() => WindowState.fromSnapshot(snapshot)).toThrow(RangeError);
  });

  it('a snapshot stays as it was when the window changes after it, and is reused while it does not', () => {
    const window = new WindowState(0, 100);
    window.add(10, 1);
    window.add(30, 3);
    const first = window.toSnapshot();
    expect(window.toSnapshot()).toBe(first);

    window.add(50, 5); // appended
    window.add(20, 2); // inserted
    window.add(30, 9); // a duplicate with another value
    expect(first).toStrictEqual({
      start: 0,
      end: 100,
      ts: [10, 30],
      values: [1, 3],
      duplicates: 0,
      conflicts: 0,
    });
    const second = window.toSnapshot();
    expect(second).not.toBe(first);
    expect(second).toStrictEqual({
      start: 0,
      end: 100,
      ts: [10, 20, 30, 50],
      values: [1, 2, 3, 5],
      duplicates: 1,
      conflicts: 1,
    });

    window.add(30, 3); // only a duplicate: the readings are unchanged, the counts are not
    const third = window.toSnapshot();
    expect(third.duplicates).toBe(2);
    expect(second.duplicates).toBe(1);
    window.add(60, 6);
    expect(third.ts).toStrictEqual([10, 20, 30, 50]);
    expect(window.toSnapshot().ts).toStrictEqual([10, 20, 30, 50, 60]);
  });
});
