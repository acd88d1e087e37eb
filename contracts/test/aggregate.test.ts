import { describe, expect, it } from 'vitest';
import { Aggregate, aggregateKey } from '../src/index.js';

const start = Date.UTC(2025, 0, 14, 23, 0);
const valid: Aggregate = {
  deviceId: 'wm-0042',
  tenant: 'sivom-vallee',
  site: 'reservoir-nord',
  domain: 'water',
  metric: 'water.volume_index',
  kind: 'cumulative_index',
  unit: 'm3',
  dims: {},
  window: '1d',
  windowStart: start,
  windowEnd: start + 86_400_000,
  count: 96,
  sum: 118_000,
  min: 1220,
  max: 1240,
  mean: 1229.2,
  last: 1240,
  lastTs: start + 86_100_000,
  consumption: 20.5,
  timezone: 'Europe/Paris',
  computedAt: start + 86_500_000,
};

describe('Aggregate', () => {
  it('accepts a daily window of a cumulative index with its consumption', () => {
    expect(Aggregate.safeParse(valid).success).toBe(true);
  });

  it('accepts a window without consumption', () => {
    const { consumption: _c, ...rest } = valid;
    expect(Aggregate.safeParse(rest).success).toBe(true);
  });

  it('rejects a consumption on a metric that is not a cumulative index', () => {
    const flow = { ...valid, metric: 'water.flow', kind: 'instantaneous', unit: 'm3/h' };
    expect(Aggregate.safeParse({ ...flow, consumption: undefined }).success).toBe(true);
    expect(Aggregate.safeParse(flow).success).toBe(false);
  });

  it('rejects a negative consumption', () => {
    expect(Aggregate.safeParse({ ...valid, consumption: -1 }).success).toBe(false);
  });

  it('rejects an unknown window size and an unknown time zone', () => {
    expect(Aggregate.safeParse({ ...valid, window: '5m' }).success).toBe(false);
    expect(Aggregate.safeParse({ ...valid, timezone: 'Europe/Lutece' }).success).toBe(false);
  });

  it('rejects an empty or inverted window and a last reading outside it', () => {
    expect(Aggregate.safeParse({ ...valid, count: 0 }).success).toBe(false);
    expect(Aggregate.safeParse({ ...valid, windowEnd: start }).success).toBe(false);
    expect(Aggregate.safeParse({ ...valid, lastTs: start + 86_400_000 }).success).toBe(false);
  });

  it('rejects min above max', () => {
    expect(Aggregate.safeParse({ ...valid, min: 1300 }).success).toBe(false);
  });

  it('keys a window by device, metric, dimensions, size and start', () => {
    expect(aggregateKey(valid)).toBe(`wm-0042|water.volume_index||1d|${start}`);
    expect(aggregateKey({ ...valid, window: '1h' })).not.toBe(aggregateKey(valid));
  });
});
