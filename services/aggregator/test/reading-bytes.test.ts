import { describe, expect, it } from 'vitest';
import { deviceHash, ReadingBytes } from '../src/reading-bytes.js';
import { type SeriesFields, seriesText } from '../src/reading-layout.js';
import { reading } from './dst-dataset.js';
import { seededRandom } from './fixtures.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');

/** `ReadingBytes.splitAs` of a record's text, for the series of `r`. */
function splitAs(parts: ReadingBytes, text: string, r: SeriesFields & { dims: object }) {
  return parts.splitAs(Buffer.from(text), Buffer.from(seriesText(r)), Buffer.from(JSON.stringify(r.dims)));
}

describe('reading bytes', () => {
  it('hashes the device id of a record whatever else the record holds', () => {
    const hashes = new Set<number>();
    for (const deviceId of ['em-1', 'em-2', 'a"b', 'a\\', '\\"', 'é€😀', '\u0000\n', '\ud800', '']) {
      const record = Buffer.from(JSON.stringify({ ...reading('x', 'energy.active_power', T0, 1), deviceId }));
      const hash = deviceHash(record);
      expect(hash, deviceId).toBe(deviceHash(Buffer.from(`{"deviceId":${JSON.stringify(deviceId)},"x":2}`)));
      expect(hash).toBeGreaterThanOrEqual(0);
      hashes.add(hash);
    }
    expect(hashes.size).toBe(9);
    expect(deviceHash(Buffer.from('{"deviceId":"em-1'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"deviceId":"em-1\\"'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"deviceId":1,"tenant":"a"}'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"device":"em-1","tenant":"a"}'))).toBe(-1);
    expect(deviceHash(Buffer.from(''))).toBe(-1);
  });

  it('reads a record of the series in the validator layout into its numbers', () => {
    const r = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12.5, { vehicleClass: 'bé"\\s' }),
      sourceSeq: 42,
    };
    const parts = new ReadingBytes();
    expect(splitAs(parts, JSON.stringify(r), r)).toBe(true);
    expect([parts.value, parts.ts, parts.receivedAt, parts.sourceSeq]).toEqual([12.5, T0, T0, 42]);
    const withoutSeq = JSON.stringify({ ...r, sourceSeq: undefined }).replace('"value":12.5', '"value":-0');
    expect(splitAs(parts, withoutSeq, r)).toBe(true);
    expect(parts.sourceSeq).toBeUndefined();
    expect(Object.is(parts.value, -0)).toBe(true);
  });

  it('refuses another series, another layout, and numbers JSON or the contract would not take', () => {
    const r = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12.5, { vehicleClass: 'bus' }),
      sourceSeq: 42,
    };
    const text = JSON.stringify(r);
    const parts = new ReadingBytes();
    for (const other of [
      JSON.stringify({ ...r, dims: { vehicleClass: 'car' } }),
      JSON.stringify({ ...r, unit: 'vehicles' }),
      JSON.stringify({ ...r, deviceId: 'tc-2' }),
      JSON.stringify(Object.assign({ ...r, value: undefined, extra: 1 }, { value: 12.5 })),
      text.replace('"value":12.5', '"value": 12.5'),
      text.replace('"value":12.5', '"value":012.5'),
      text.replace('"value":12.5', '"value":12.'),
      text.replace('"value":12.5', '"value":1e'),
      text.replace('"value":12.5', '"value":1e999'),
      text.replace('"value":12.5', '"value":"12.5"'),
      text.replace(`"ts":${T0}`, `"ts":${T0}.5`),
      text.replace(`"ts":${T0}`, `"ts":${T0}.0`),
      text.replace(`"ts":${T0}`, '"ts":1234567890123456'),
      text.replace(`"ts":${T0}`, '"ts":-1'),
      text.replace('"sourceSeq":42', '"sourceSeq":"42"'),
      text.replace('"sourceSeq":42', '"sourceSeq":-1'),
      text.replace('"sourceSeq":42', '"sourceSeq":1234567890123456'),
      text.replace(',"sourceSeq":42}', '}}'),
      `${text} `,
      text.slice(0, -1),
    ]) {
      expect(splitAs(parts, other, r), other).toBe(false);
    }
  });

  it('reads every number as JSON.parse does, on its fast path and off it', () => {
    const r = reading('em-1', 'energy.active_power', T0, 0);
    const parts = new ReadingBytes();
    const random = seededRandom(11);
    const values = [
      0, -0, 1, -1, 0.1, 0.3, 1e22, 1e23, 5e-324, 1.7976931348623157e308, 123456789012345, 1234567890123456,
      123456789012345680000, 0.000001, 1e-7,
    ];
    for (let i = 0; i < 2_000; i++) {
      values.push((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
      values.push(Math.round(random() * 1e6) / 10 ** Math.floor(random() * 8));
    }
    for (const value of values) {
      const text = JSON.stringify({ ...r, value });
      expect(splitAs(parts, text, r), text).toBe(true);
      expect(Object.is(parts.value, JSON.parse(text).value), text).toBe(true);
    }
    for (const literal of [
      '1E5',
      '1e+5',
      '1.25E+1',
      '-0.0',
      '2.50',
      '1e-22',
      '1e-23',
      '123456789012345e7',
      '0.1e1',
      '9007199254740993',
    ]) {
      const text = JSON.stringify(r).replace('"value":0', `"value":${literal}`);
      expect(splitAs(parts, text, r), text).toBe(true);
      expect(Object.is(parts.value, JSON.parse(text).value), text).toBe(true);
    }
  });
});
