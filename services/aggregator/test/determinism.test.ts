import { describe, expect, it } from 'vitest';
import {
  type Aggregate,
  computeConsumption,
  indexStep,
  type NormalizedReading,
  WINDOW_KINDS,
  WindowStore,
  type WindowStoreOptions,
  windowBounds,
} from '../src/domain/index.js';
import { at, MINUTE, reading, seededRandom, shuffle } from './fixtures.js';

const PARIS = 'Europe/Paris';
const OPTIONS: WindowStoreOptions = { timeZone: PARIS, allowedLatenessMs: 30 * 86_400_000, clock: () => 0 };

/**
 * Two days of an energy meter around the 2026-10-25 fall-back (with a counter reset and a
 * meter replacement) and its power channel, plus redelivered copies of one reading in eight.
 */
function fleetDays(seed: number): NormalizedReading[] {
  const random = seededRandom(seed);
  const readings: NormalizedReading[] = [];
  let ts = at('2026-10-24T20:00:00Z');
  let index = 48_210.125;
  for (let i = 0; i < 400; i++) {
    ts += 1_000 + Math.floor(random() * 20 * MINUTE);
    if (i === 150) index = 0.4;
    else if (i === 300) index *= 0.8;
    else index += random() * 3;
    readings.push(reading({ ts, value: index }));
    const power = {
      metric: 'energy.active_power',
      kind: 'instantaneous',
      unit: 'W',
      dims: { phase: 'L1' },
    } as const;
    readings.push(reading({ ...power, ts, value: Math.round(random() * 5_000) / 7 }));
  }
  return [...readings, ...readings.filter((_, i) => i % 8 === 0).map((r) => ({ ...r }))];
}

function finalAggregates(readings: readonly NormalizedReading[]): Aggregate[] {
  const store = new WindowStore(OPTIONS);
  for (const r of readings) expect(store.apply(r).tooLate).toEqual([]);
  return store.advanceWatermark(Number.POSITIVE_INFINITY).sort(byWindow);
}

function byWindow(a: Aggregate, b: Aggregate): number {
  return (
    a.metric.localeCompare(b.metric) ||
    WINDOW_KINDS.indexOf(a.window) - WINDOW_KINDS.indexOf(b.window) ||
    a.windowStart - b.windowStart
  );
}

/** The aggregates written the plain way, sharing nothing with the store but windowBounds and indexStep. */
function independentAggregates(readings: readonly NormalizedReading[]): Aggregate[] {
  const distinct = [...new Map(readings.map((r) => [`${r.metric}@${r.ts}`, r])).values()].sort(
    (a, b) => a.ts - b.ts,
  );
  const groups = new Map<string, NormalizedReading[]>();
  for (const r of distinct) {
    for (const window of WINDOW_KINDS) {
      const { start } = windowBounds(r.ts, window, PARIS);
      const key = `${r.metric}|${window}|${start}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups].map(([key, members]) => {
    const window = key.split('|')[1] as Aggregate['window'];
    const first = members[0] as NormalizedReading;
    const last = members[members.length - 1] as NormalizedReading;
    const { start, end } = windowBounds(first.ts, window, PARIS);
    const values = members.map((m) => m.value);
    const sum = values.reduce((acc, v) => acc + v, 0);
    const aggregate: Aggregate = {
      ...{ deviceId: first.deviceId, tenant: first.tenant, site: first.site, domain: first.domain },
      ...{
        metric: first.metric,
        kind: first.kind,
        unit: first.unit,
        dims: first.dims,
        window,
        windowStart: start,
        windowEnd: end,
      },
      ...{ count: members.length, sum, min: Math.min(...values), max: Math.max(...values) },
      ...{ mean: sum / values.length, last: last.value, lastTs: last.ts, timezone: PARIS, computedAt: 0 },
    };
    if (first.kind === 'cumulative_index') {
      const before = distinct.filter((r) => r.metric === first.metric && r.ts < start).at(-1);
      let previous = before?.value;
      let consumption = 0;
      for (const value of values) {
        if (previous !== undefined) consumption += indexStep(previous, value).delta;
        previous = value;
      }
      aggregate.consumption = consumption;
    }
    return aggregate;
  });
}

describe('aggregates are deterministic functions of the distinct readings', () => {
  const input = fleetDays(2026);

  it('in-order input gives the same aggregates as an independent computation', () => {
    const inOrder = [...input].sort((a, b) => a.ts - b.ts);
    expect(finalAggregates(inOrder)).toEqual(independentAggregates(input).sort(byWindow));
  });

  it('shuffling the same input 50 times gives identical aggregates, down to the last bit', () => {
    const reference = finalAggregates(input);
    const index = input.filter((r) => r.kind === 'cumulative_index');
    expect(computeConsumption(index).resets).toBeGreaterThan(0);
    const random = seededRandom(1);
    for (let run = 0; run < 50; run++) {
      expect(finalAggregates(shuffle(input, random))).toStrictEqual(reference);
    }
  });

  it('the last update emitted for each window equals its final aggregate', () => {
    const store = new WindowStore(OPTIONS);
    const lastEmitted = new Map<string, Aggregate>();
    for (const r of shuffle(input, seededRandom(9))) {
      for (const a of store.apply(r).updates) lastEmitted.set(`${a.metric}|${a.window}|${a.windowStart}`, a);
    }
    const emitted = [...lastEmitted.values()].sort(byWindow);
    expect(emitted).toStrictEqual(store.advanceWatermark(Number.POSITIVE_INFINITY).sort(byWindow));
  });

  it('coalesced emission drained at random points leaves every window at the same latest aggregate', () => {
    const shuffled = shuffle(input, seededRandom(11));
    const updates = new WindowStore(OPTIONS);
    const coalesced = new WindowStore({ ...OPTIONS, emit: 'coalesce' });
    const byUpdates = new Map<string, Aggregate>();
    const byDrains = new Map<string, Aggregate>();
    const keep = (into: Map<string, Aggregate>, list: readonly Aggregate[]) => {
      for (const a of list) into.set(`${a.metric}|${a.window}|${a.windowStart}`, a);
    };
    const random = seededRandom(12);
    let drained = 0;
    let updated = 0;
    for (const r of shuffled) {
      const result = coalesced.apply(r);
      expect(result.updates).toEqual([]);
      keep(byDrains, result.closed);
      const update = updates.apply(r);
      updated += update.updates.length;
      keep(byUpdates, [...update.updates, ...update.closed]);
      if (random() < 0.05) {
        const batch = coalesced.drainChanged();
        drained += batch.length;
        keep(byDrains, batch);
      }
    }
    keep(byDrains, coalesced.drainChanged());
    expect(coalesced.drainChanged()).toEqual([]);
    expect(drained).toBeGreaterThan(0);
    expect(updated).toBeGreaterThan(0);
    expect(byDrains).toStrictEqual(byUpdates);
  });

  it('a store restored from a JSON snapshot carries on exactly like the one that never stopped', () => {
    const options: WindowStoreOptions = { ...OPTIONS, allowedLatenessMs: 2 * 3_600_000, outOfOrdernessMs: 0 };
    const inOrder = [...input].sort((a, b) => a.ts - b.ts);
    const half = Math.floor(inOrder.length / 2);
    const running = new WindowStore(options);
    for (const r of inOrder.slice(0, half)) running.apply(r);

    const restored = WindowStore.restore(JSON.parse(JSON.stringify(running.snapshot())), options);
    expect(restored.openWindowCount).toBe(running.openWindowCount);
    for (const r of inOrder.slice(half)) expect(restored.apply(r)).toStrictEqual(running.apply(r));
    const end = Number.POSITIVE_INFINITY;
    expect(restored.advanceWatermark(end)).toStrictEqual(running.advanceWatermark(end));
  });

  it('a snapshot of another version is refused', () => {
    expect(() => WindowStore.restore({ version: 2 as 1, devices: [], series: [] })).toThrow(RangeError);
  });
});
