import { describe, expect, it } from 'vitest';
import { type AggregateRow, networkYields } from '../src/index.js';

const d1 = Date.parse('2025-01-14T23:00:00Z');
const d2 = Date.parse('2025-01-15T23:00:00Z');
const row = (device: string, site: string, time: number, value: number): AggregateRow => ({
  device,
  tenant: 'sev',
  site,
  metric: 'water.volume_index',
  time,
  value,
});
const roles: Record<string, 'production' | 'consumption'> = {
  in: 'production',
  c1: 'consumption',
  c2: 'consumption',
  plant: 'production',
};

/** A complete day of sector nord: 120 m3 produced, 60 + 42 consumed. */
const nordDay1 = [row('in', 'nord', d1, 120), row('c1', 'nord', d1, 60), row('c2', 'nord', d1, 42)];

describe('network yield', () => {
  it('should balance production against consumption per sector and day', () => {
    const rows = [...nordDay1, row('x', 'nord', d1, 999)];
    const { yields, incomplete } = networkYields(rows, (id) => roles[id]);
    expect(incomplete).toBe(0);
    expect(yields).toHaveLength(1);
    const [y] = yields;
    expect(y).toMatchObject({ tenant: 'sev', site: 'nord', time: d1, producedM3: 120, consumedM3: 102 });
    expect(y?.lossesM3).toBeCloseTo(18, 10);
    expect(y?.yield).toBeCloseTo(0.85, 10);
  });

  it('should leave out a day where a meter of the sector is missing, and a site without consumers', () => {
    const rows = [
      ...nordDay1,
      row('in', 'nord', d2, 110),
      row('c1', 'nord', d2, 55),
      row('plant', 'usine', d1, 500),
    ];
    const { yields, incomplete } = networkYields(rows, (id) => roles[id]);
    expect(yields.map((y) => [y.site, y.time])).toEqual([['nord', d1]]);
    expect(incomplete).toBe(1);
  });
});
