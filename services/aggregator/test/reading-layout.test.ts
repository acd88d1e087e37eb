import { describe, expect, it } from 'vitest';
import { deviceText, ReadingParts, seriesText } from '../src/reading-layout.js';
import { reading } from './dst-dataset.js';
import { seededRandom } from './fixtures.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');

describe('reading layout', () => {
  it('splits a record of the validator layout into its series text, dimensions and numbers', () => {
    const r = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12.5, { vehicleClass: 'bus' }),
      sourceSeq: 42,
    };
    const parts = new ReadingParts();
    expect(parts.split(JSON.stringify(r))).toBe(true);
    expect(parts.series).toBe(seriesText(r));
    expect(parts.dims).toBe('{"vehicleClass":"bus"}');
    expect([parts.value, parts.ts, parts.receivedAt, parts.sourceSeq]).toEqual([12.5, T0, T0, 42]);
    expect(parts.split(JSON.stringify({ ...r, sourceSeq: undefined }))).toBe(true);
    expect(parts.sourceSeq).toBeUndefined();
  });

  it('refuses another key order, extra keys, and numbers JSON or the contract would not take', () => {
    const r = reading('em-1', 'energy.active_power', T0, 1_500);
    const text = JSON.stringify(r);
    const parts = new ReadingParts();
    for (const other of [
      JSON.stringify(Object.assign({ ...r, value: undefined, extra: 1 }, { value: 1_500 })),
      text.replace('"value":1500', '"value":01500'),
      text.replace('"value":1500', '"value":1500.'),
      text.replace('"value":1500', '"value":1e'),
      text.replace('"value":1500', '"value":1e999'),
      text.replace(`"ts":${T0}`, `"ts":${T0}.0`),
      text.replace(`"ts":${T0}`, '"ts":1234567890123456'),
      text.replace('}', ',"sourceSeq":"1"}'),
      `${text} `,
    ]) {
      expect(parts.split(other), other).toBe(false);
    }
  });

  it('reads every number as JSON.parse does, on its fast path and off it', () => {
    const r = reading('em-1', 'energy.active_power', T0, 0);
    const parts = new ReadingParts();
    const random = seededRandom(11);
    const values = [
      0, -0, 1, -1, 0.1, 0.3, 1e22, 1e23, 5e-324, 1.7976931348623157e308, 123456789012345, 1234567890123456,
      0.000001, 1e-7,
    ];
    for (let i = 0; i < 2_000; i++) {
      values.push((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
      values.push(Math.round(random() * 1e6) / 10 ** Math.floor(random() * 8));
    }
    for (const value of values) {
      const text = JSON.stringify({ ...r, value });
      expect(parts.split(text), text).toBe(true);
      expect(Object.is(parts.value, JSON.parse(text).value), text).toBe(true);
    }
    for (const literal of [
      '1E5',
      '1e+5',
      '-0.0',
      '2.50',
      '1e-22',
      '1e-23',
      '123456789012345e7',
      '0.1e1',
      '9007199254740993',
    ]) {
      const text = JSON.stringify(r).replace('"value":0', `"value":${literal}`);
      expect(parts.split(text), text).toBe(true);
      expect(Object.is(parts.value, JSON.parse(text).value), text).toBe(true);
    }
  });

  it('splits a record as the series it was validated as exactly when split and hasText would', () => {
    const r = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12.5, { vehicleClass: 'bus' }),
      sourceSeq: 42,
    };
    const series = seriesText(r);
    const dims = '{"vehicleClass":"bus"}';
    const text = JSON.stringify(r);
    expect(deviceText(text)).toBe('"tc-1"');
    expect(deviceText(text.replace('deviceId', 'device'))).toBeUndefined();
    const variants = [
      text,
      JSON.stringify({ ...r, sourceSeq: undefined }),
      JSON.stringify({ ...r, value: -3e-7, ts: T0 + 1 }),
      JSON.stringify({ ...r, dims: { vehicleClass: 'car' } }),
      JSON.stringify({ ...r, unit: 'count' }),
      text.replace('"sourceSeq":42', '"sourceSeq":"42"'),
      text.replace('"sourceSeq":42', '"sourceSeq":-1'),
      text.replace('"value":12.5', '"value":012.5'),
      text.replace(`"ts":${T0}`, `"ts":${T0}.5`),
      `${text} `,
      text.replace(',"sourceSeq":42}', '}}'),
    ];
    for (const variant of variants) {
      const expected = new ReadingParts();
      const ok = expected.split(variant) && expected.hasText(series, dims);
      const parts = new ReadingParts();
      expect(parts.splitAs(variant, series, dims), variant).toBe(ok);
      if (ok)
        expect([parts.value, parts.ts, parts.receivedAt, parts.sourceSeq, parts.series, parts.dims]).toEqual([
          expected.value,
          expected.ts,
          expected.receivedAt,
          expected.sourceSeq,
          expected.series,
          expected.dims,
        ]);
    }
  });
});
