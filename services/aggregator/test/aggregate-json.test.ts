import type { Aggregate } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { aggregateJson } from '../src/adapters/kafka/aggregate-json.js';
import { WindowStore } from '../src/domain/index.js';
import { reading } from './dst-dataset.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');

/** Aggregates of an index (with and without consumption), a power and a count with dimensions. */
function storeAggregates(): Aggregate[] {
  const store = new WindowStore({ clock: () => T0 + 0.5 });
  const out: Aggregate[] = [];
  const values = [100, 100.25, 100.5, 3, 3.125, 1e21, -0, 7e-7];
  values.forEach((value, i) => {
    const ts = T0 + i * 600_000;
    for (const r of [
      reading('em-1', 'energy.active_energy_index', ts, Math.abs(value)),
      reading('em-1', 'energy.active_power', ts, value),
      reading('tc-1', 'mobility.vehicle_count', ts, i, { vehicleClass: 'car' }),
    ]) {
      const result = store.apply(r);
      out.push(...result.updates, ...result.closed);
    }
  });
  out.push(...store.advanceWatermark(T0 + 10 * 86_400_000));
  return out;
}

describe('aggregate JSON', () => {
  it('writes what JSON.stringify writes for the aggregates of a window store', () => {
    const aggregates = storeAggregates();
    expect(aggregates.some((a) => a.consumption !== undefined)).toBe(true);
    for (const aggregate of aggregates) {
      expect(aggregateJson(aggregate)).toBe(JSON.stringify(aggregate));
      // A second time, from the text kept for its series.
      expect(aggregateJson(aggregate)).toBe(JSON.stringify(aggregate));
    }
  });

  it('writes what JSON.stringify writes for aggregates of another shape', () => {
    const [sample] = storeAggregates();
    if (sample === undefined) throw new Error('no aggregate');
    const others: unknown[] = [
      { ...sample, dims: { vehicleClass: 'bus' } },
      { ...sample, sum: Number.NaN, max: Number.POSITIVE_INFINITY },
      { ...sample, extra: 1 },
      Object.assign({ computedAt: 1 }, sample),
      { ...sample, dims: Object.freeze({ nested: { a: 1 } }) },
      { ...sample, consumption: 2.5 },
      { ...sample, consumption: undefined },
      { ...sample, count: '3' },
      { ...sample, toJSON: () => 'custom' },
    ];
    for (const other of others) expect(aggregateJson(other as Aggregate)).toBe(JSON.stringify(other));
    // The text kept for a series follows a change of its strings.
    const moved = { ...sample, site: 'elsewhere' };
    expect(aggregateJson(moved)).toBe(JSON.stringify(moved));
  });
});
