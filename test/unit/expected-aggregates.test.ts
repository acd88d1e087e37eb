import { describe, expect, it } from 'vitest';
import { expectedAggregates } from '../support/expected-aggregates.js';

const H = 3_600_000;

describe('the independent computation of expected aggregates', () => {
  it('cuts the 25-hour autumn day of Europe/Paris at local midnights', () => {
    const dayStart = Date.UTC(2026, 9, 24, 22); // 2026-10-25T00:00+02:00
    const readings = [0, 10, 24.5].map((h, i) => ({
      deviceId: 'd',
      metric: 'energy.active_power' as const,
      dims: {},
      ts: dayStart + h * H,
      value: i + 1,
    }));
    const days = expectedAggregates(readings).filter((a) => a.window === '1d');
    // 24.5 h after midnight is still 25 October: that day lasts 25 hours.
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ windowStart: dayStart, count: 3, sum: 6, last: 3 });
  });

  it('counts a duplicate timestamp once and a counter reset as consumption since zero', () => {
    const t0 = Date.UTC(2026, 9, 20, 10);
    const index = [100, 110, 110, 5, 8];
    const ts = [0, 1, 1, 2, 3].map((m) => t0 + m * 60_000);
    const readings = index.map((value, i) => ({
      deviceId: 'm',
      metric: 'energy.active_energy_index' as const,
      dims: {},
      ts: ts[i] as number,
      value,
    }));
    const hour = expectedAggregates(readings).find((a) => a.window === '1h');
    expect(hour).toMatchObject({ count: 4, min: 5, max: 110, last: 8, consumption: 10 + 5 + 3 });
  });
});
