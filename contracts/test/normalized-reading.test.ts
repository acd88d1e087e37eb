import { describe, expect, it } from 'vitest';
import { dimsKey, NormalizedReading, normalizeDims, readingKey } from '../src/index.js';

const valid: NormalizedReading = {
  deviceId: 'tc-7',
  tenant: 'ville-de-lyon',
  site: 'pont-wilson',
  domain: 'mobility',
  metric: 'mobility.vehicle_count',
  kind: 'count_per_interval',
  unit: 'count',
  value: 42,
  ts: 1_750_000_000_000,
  receivedAt: 1_750_000_002_000,
  dims: { vehicleClass: 'car' },
  sourceSeq: 9,
};

describe('NormalizedReading', () => {
  it('accepts a reading whose domain, kind and unit match the catalogue', () => {
    expect(NormalizedReading.safeParse(valid).success).toBe(true);
    expect(NormalizedReading.safeParse({ ...valid, dims: {}, sourceSeq: undefined }).success).toBe(true);
  });

  it('rejects a domain, kind or unit that disagrees with the catalogue', () => {
    expect(NormalizedReading.safeParse({ ...valid, domain: 'water' }).success).toBe(false);
    expect(NormalizedReading.safeParse({ ...valid, kind: 'instantaneous' }).success).toBe(false);
    expect(NormalizedReading.safeParse({ ...valid, unit: 'km/h' }).success).toBe(false);
  });

  it('rejects a unit that is not canonical', () => {
    expect(NormalizedReading.safeParse({ ...valid, unit: 'Wh' }).success).toBe(false);
  });

  it('rejects a fractional or negative timestamp', () => {
    expect(NormalizedReading.safeParse({ ...valid, ts: 1.5 }).success).toBe(false);
    expect(NormalizedReading.safeParse({ ...valid, receivedAt: -1 }).success).toBe(false);
  });

  it('rejects a missing field', () => {
    const { tenant: _tenant, ...withoutTenant } = valid;
    expect(NormalizedReading.safeParse(withoutTenant).success).toBe(false);
  });
});

describe('readingKey', () => {
  it('joins device, metric, sorted dimensions and timestamp', () => {
    expect(readingKey(valid)).toBe('tc-7|mobility.vehicle_count|vehicleClass=car|1750000000000');
    expect(readingKey({ ...valid, dims: {} })).toBe('tc-7|mobility.vehicle_count||1750000000000');
  });

  it('does not depend on the order of the dimension keys', () => {
    const a = readingKey({ ...valid, dims: { vehicleClass: 'car', lane: '2' } });
    const b = readingKey({ ...valid, dims: { lane: '2', vehicleClass: 'car' } });
    expect(a).toBe(b);
  });

  it('ignores the value and the receive time, so a redelivery has the same key', () => {
    expect(readingKey({ ...valid, value: 43, receivedAt: 1 } as NormalizedReading)).toBe(readingKey(valid));
  });

  it('separates readings that differ only by a dimension or the timestamp', () => {
    expect(readingKey({ ...valid, dims: { vehicleClass: 'bus' } })).not.toBe(readingKey(valid));
    expect(readingKey({ ...valid, ts: valid.ts + 1 })).not.toBe(readingKey(valid));
  });

  it('escapes separators inside dimension values', () => {
    expect(dimsKey({ a: 'x,b=y' })).not.toBe(dimsKey({ a: 'x', b: 'y' }));
    expect(dimsKey({ a: 'x|y' })).toBe('a=x%7Cy');
  });

  it('normalizes absent dimensions to an empty record', () => {
    expect(normalizeDims(undefined)).toEqual({});
    expect(normalizeDims({ vehicleClass: 'van' })).toEqual({ vehicleClass: 'van' });
  });
});
