import { describe, expect, it } from 'vitest';
import { ReadingEnvelope, readingTimeMs, toEpochMs } from '../src/index.js';

const valid = {
  v: 1,
  deviceId: 'wm-0042',
  ts: '2025-03-01T10:15:00+01:00',
  seq: 17,
  readings: [
    { metric: 'water.volume_index', value: 1234.5, unit: 'm3' },
    { metric: 'water.flow', value: 0.4, ts: 1_740_820_500_000 },
    { metric: 'mobility.vehicle_count', value: 12, dims: { vehicleClass: 'truck' } },
  ],
};

const parse = (value: unknown) => ReadingEnvelope.safeParse(value);

describe('ReadingEnvelope', () => {
  it('accepts a complete envelope', () => {
    expect(parse(valid).success).toBe(true);
  });

  it('accepts a minimal envelope with one reading and no time', () => {
    expect(parse({ v: 1, deviceId: 'ab', readings: [{ metric: 'water.pressure', value: 3 }] }).success).toBe(
      true,
    );
  });

  it('rejects an unknown key at the top and inside a reading', () => {
    expect(parse({ ...valid, extra: true }).success).toBe(false);
    expect(parse({ ...valid, readings: [{ metric: 'water.flow', valeu: 1, value: 1 }] }).success).toBe(false);
  });

  it('rejects another envelope version', () => {
    expect(parse({ ...valid, v: 2 }).success).toBe(false);
  });

  it('rejects device ids that are not lower-case slugs of 2 to 63 characters', () => {
    for (const deviceId of ['A-1', 'a', '-ab', 'a/b', 'a+b', 'a#', 'a'.repeat(64), 'wm_1']) {
      expect(parse({ ...valid, deviceId }).success, deviceId).toBe(false);
    }
  });

  it('rejects an unknown metric', () => {
    expect(parse({ ...valid, readings: [{ metric: 'water.temperature', value: 12 }] }).success).toBe(false);
  });

  it('rejects an empty reading list and one longer than 100', () => {
    expect(parse({ ...valid, readings: [] }).success).toBe(false);
    const reading = { metric: 'water.flow', value: 1 };
    expect(parse({ ...valid, readings: Array.from({ length: 101 }, () => reading) }).success).toBe(false);
  });

  it('rejects a value that is not a finite number', () => {
    for (const value of ['12', null, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(parse({ ...valid, readings: [{ metric: 'water.flow', value }] }).success).toBe(false);
    }
  });

  it('rejects a local time without offset and a fractional epoch', () => {
    expect(parse({ ...valid, ts: '2025-03-01T10:15:00' }).success).toBe(false);
    expect(parse({ ...valid, ts: 1_740_820_500_000.5 }).success).toBe(false);
  });

  it('rejects an unknown dimension and an unknown vehicle class', () => {
    const dims = (d: unknown) => ({
      ...valid,
      readings: [{ metric: 'mobility.vehicle_count', value: 1, dims: d }],
    });
    expect(parse(dims({ lane: '1' })).success).toBe(false);
    expect(parse(dims({ vehicleClass: 'tractor' })).success).toBe(false);
  });

  it('rejects a negative or fractional seq', () => {
    expect(parse({ ...valid, seq: -1 }).success).toBe(false);
    expect(parse({ ...valid, seq: 1.5 }).success).toBe(false);
  });
});

describe('reading timestamps', () => {
  it('converts an ISO time with an offset to epoch ms', () => {
    expect(toEpochMs('2025-03-01T10:15:00+01:00')).toBe(Date.UTC(2025, 2, 1, 9, 15));
    expect(toEpochMs('2025-03-01T09:15:00.250Z')).toBe(Date.UTC(2025, 2, 1, 9, 15, 0, 250));
  });

  it("prefers the reading's time, then the envelope's, then the receive time", () => {
    const received = 1_800_000_000_000;
    expect(readingTimeMs(1000, { metric: 'water.flow', value: 1, ts: 2000 }, received)).toBe(2000);
    expect(readingTimeMs(1000, { metric: 'water.flow', value: 1 }, received)).toBe(1000);
    expect(readingTimeMs(undefined, { metric: 'water.flow', value: 1 }, received)).toBe(received);
  });
});
