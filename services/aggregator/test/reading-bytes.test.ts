import { describe, expect, it } from 'vitest';
import { deviceHash, deviceTextHash, ReadingBytes } from '../src/reading-bytes.js';
import { ReadingParts, seriesText } from '../src/reading-layout.js';
import { reading } from './dst-dataset.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');

describe('reading bytes', () => {
  it('hashes the device id of a record as the JSON text of that id hashes', () => {
    for (const deviceId of ['em-1', 'a"b', 'a\\', '\\"', 'é€😀', '\u0000\n', '\ud800', '']) {
      const record = Buffer.from(JSON.stringify({ ...reading('x', 'energy.active_power', T0, 1), deviceId }));
      const hash = deviceHash(record);
      expect(hash, deviceId).toBe(deviceTextHash(JSON.stringify(deviceId)));
      expect(hash).toBeGreaterThanOrEqual(0);
    }
    expect(deviceHash(Buffer.from('{"deviceId":"em-1'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"deviceId":"em-1\\"'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"deviceId":1,"tenant":"a"}'))).toBe(-1);
    expect(deviceHash(Buffer.from('{"device":"em-1","tenant":"a"}'))).toBe(-1);
    expect(deviceHash(Buffer.from(''))).toBe(-1);
  });

  it('splits the bytes of a record as ReadingParts.splitAs splits its text', () => {
    const r = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12.5, { vehicleClass: 'bé"\\s' }),
      sourceSeq: 42,
    };
    const series = seriesText(r);
    const dims = JSON.stringify(r.dims);
    const text = JSON.stringify(r);
    const variants = [
      text,
      JSON.stringify({ ...r, sourceSeq: undefined }),
      JSON.stringify({ ...r, value: -0, ts: T0 + 1 }),
      JSON.stringify({ ...r, value: 1.7976931348623157e308 }),
      JSON.stringify({ ...r, value: 123456789012345680000 }),
      JSON.stringify({ ...r, dims: { vehicleClass: 'car' } }),
      JSON.stringify({ ...r, unit: 'count' }),
      text.replace('"sourceSeq":42', '"sourceSeq":"42"'),
      text.replace('"sourceSeq":42', '"sourceSeq":-1'),
      text.replace('"sourceSeq":42', '"sourceSeq":1234567890123456'),
      text.replace('"value":12.5', '"value":012.5'),
      text.replace('"value":12.5', '"value":1.25E+1'),
      text.replace('"value":12.5', '"value":1e999'),
      text.replace(`"ts":${T0}`, `"ts":${T0}.5`),
      `${text} `,
      text.slice(0, -1),
      text.replace(',"sourceSeq":42}', '}}'),
    ];
    for (const variant of variants) {
      const expected = new ReadingParts();
      const ok = expected.splitAs(variant, series, dims);
      const parts = new ReadingBytes();
      expect(parts.splitAs(Buffer.from(variant), Buffer.from(series), Buffer.from(dims)), variant).toBe(ok);
      if (ok) {
        expect([parts.value, parts.ts, parts.receivedAt, parts.sourceSeq]).toStrictEqual([
          expected.value,
          expected.ts,
          expected.receivedAt,
          expected.sourceSeq,
        ]);
        expect(Object.is(parts.value, expected.value)).toBe(true);
      }
    }
  });
});
