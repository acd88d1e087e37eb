import { describe, expect, it } from 'vitest';
import { compactLine } from '../src/domain/compact-line.js';
import { encodeRecord, type Stream } from '../src/domain/encode-record.js';
import { measurementNames } from '../src/domain/line-protocol.js';
import { RecordEncoder } from '../src/domain/record-encoder.js';
import { SeriesTagCache } from '../src/domain/series-tag-cache.js';
import { LineBatch } from '../src/line-batch.js';
import { aggregate, reading, rejection } from './fixtures.js';
import { seriesOf } from './series-fields.js';

const names = measurementNames('t_');
const json = (value: unknown) => JSON.stringify(value);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Floats of every shape String() writes: short, long, tiny, huge, negative, zero, -0. */
function floats(next: () => number): number[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: 400 }, () => {
    const scale = pick([1e-9, 1e-7, 1e-6, 1e-5, 0.01, 1, 100, 1e6, 1e15, 1e16, 1e20, 1e21, 1e300]);
    const value = (next() - 0.3) * scale;
    return pick([value, Math.round(value), Math.round(value * 1000) / 1000, value / 3, 0, -0, 1, -1]);
  });
}

/** The record encoder must write what encodeRecord writes, for any text. */
function expectSameAsGeneral(stream: 'readings' | 'aggregates', text: string, encoder: RecordEncoder) {
  expect(encoder.encode(stream, Buffer.from(text))).toEqual(encodeRecord(stream, text, names));
}

describe('encoding records through the compact path', () => {
  it('record encoder should write readings and aggregates byte for byte as the general path', () => {
    const next = random(7);
    const encoder = new RecordEncoder(names);
    const values = floats(next);
    values.forEach((value, i) => {
      expectSameAsGeneral('readings', json(reading({ value, deviceId: `d-${i % 7}` })), encoder);
      const a = aggregate({
        sum: value,
        min: values[(i + 1) % values.length] ?? 0,
        max: value * 7,
        mean: value / 7,
        last: -value,
        consumption: Math.abs(value),
        window: (['15m', '1h', '1d'] as const)[i % 3],
        count: i,
      });
      expectSameAsGeneral('aggregates', json(a), encoder);
      expectSameAsGeneral('aggregates', json({ ...a, consumption: undefined, resets: i }), encoder);
    });
  });

  it('record encoder should write what the general path writes for unusual texts', () => {
    const encoder = new RecordEncoder(names);
    const r = json(reading());
    const a = json(aggregate());
    const texts: Array<['readings' | 'aggregates', string]> = [
      ['readings', r.replace('"value":0.4', '"value":0.40')],
      ['readings', r.replace('"value":0.4', '"value":4e-1')],
      ['readings', r.replace('"value":0.4', '"value":-0')],
      ['readings', r.replace('"value":0.4', '"value":1e400')],
      ['readings', r.replace('"value":0.4', '"value":0.0000001')],
      ['readings', r.replace('"value":0.4', '"value":"0.4"')],
      ['readings', r.replace('"value":0.4', '"value":01')],
      ['readings', r.replace('"value":0.4', '"value":1.')],
      ['readings', r.replace('"value":0.4', '"value":null')],
      ['readings', r.replace('"value":0.4,', '')],
      ['readings', r.replace('"value":0.4', '"value":1,"value":2')],
      ['readings', r.replace(/"ts":\d+/, '"ts":0')],
      ['readings', r.replace(/"ts":\d+/, '"ts":1.5')],
      ['readings', r.replace(/"ts":\d+/, '"ts":1e12')],
      ['readings', r.replace(/"ts":\d+/, '"ts":-1')],
      ['readings', r.replace(/"ts":\d+/, '"ts":9223372036854')],
      ['readings', r.replace(/"ts":\d+/, '"ts":9223372036855')],
      ['readings', r.replace(/"ts":\d+/, '"ts":99999999999999999')],
      ['readings', r.replace('"site":"ecole-jaures"', '"site":"école jaurès, nord=2"')],
      ['readings', r.replace('"site":"ecole-jaures"', '"site":"back\\\\slash"')],
      ['readings', r.replace('"site":"ecole-jaures"', '"site":"\\u00e9cole"')],
      ['readings', r.replace('"site":"ecole-jaures"', '"site":""')],
      ['readings', r.replace('"site":"ecole-jaures"', '"site":7')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":[]')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"heavy truck"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"a,b=c"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"bus","axles":"2"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"bus","vehicleClass":"car"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":""}')],
      ['readings', r.replace('"dims":{}', '"dims":{"":"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"site":"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"time":"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"__proto__":"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"1":"bus","a":"car"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"b\\us"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"b\\nus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"\u00e9"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":7}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":{}}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"bus",}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass" :"bus"}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass":"bus"')],
      ['readings', r.replace('"dims":{}', '"dims":{,}')],
      ['readings', r.replace('"dims":{}', '"dims":{"vehicleClass"}')],
      ['readings', r.replace('"kind":"instantaneous"', '"kind":{"a":1}')],
      ['readings', r.replace('"kind":"instantaneous"', '"kind":true')],
      ['readings', r.replace('"kind":"instantaneous"', '"window":"1h","count":"x"')],
      ['readings', r.replace(',', ', ')],
      ['readings', `${r} `],
      ['readings', `${r}x`],
      ['readings', r.slice(0, -1)],
      ['readings', '{}'],
      ['readings', '{"__proto__":1}'],
      ['readings', ''],
      ['readings', 'null'],
      ['aggregates', a.replace('"window":"1h"', '"window":"2h"')],
      ['aggregates', a.replace('"window":"1h"', '"window":"toString"')],
      ['aggregates', a.replace('"count":4', '"count":4.0')],
      ['aggregates', a.replace('"count":4', '"count":-4')],
      ['aggregates', a.replace('"count":4', '"count":9007199254740993')],
      ['aggregates', a.replace('"consumption":7.5', '"consumption":null')],
      ['aggregates', a.replace('"consumption":7.5', '"consumption":1e999')],
      ['aggregates', a.replace('"consumption":7.5', '"consumption":7.5,"resets":1.5')],
      ['aggregates', a.replace('"consumption":7.5', '"consumption":7.5,"resets":-0')],
      ['aggregates', a.replace('"mean":1002.5', '"mean":1002.50')],
      ['aggregates', a.replace('"deviceId":"em-0007"', '"deviceId":"em 0007"')],
      ['aggregates', a.replace('"dims":{}', '"dims":{"vehicleClass":"bus","axles":"2"}')],
      ['aggregates', a.replace('"dims":{}', '"dims":{"count":"2"}')],
    ];
    for (const [stream, text] of texts) expectSameAsGeneral(stream, text, encoder);
  });

  it('compact path should take the records the pipeline writes, without falling back', () => {
    const cache = new SeriesTagCache();
    const texts: Array<['readings' | 'aggregates', string]> = [
      ['readings', json(reading({ value: 1 / 3 }))],
      ['aggregates', json(aggregate({ mean: 1 / 3 }))],
      ['aggregates', json({ ...aggregate(), consumption: undefined, resets: 2 })],
      ['readings', json(reading({ metric: 'mobility.vehicle_count', dims: { vehicleClass: 'truck' } }))],
      ['aggregates', json(aggregate({ dims: { vehicleClass: 'bus' }, consumption: undefined }))],
      ['aggregates', json(aggregate({ dims: { vehicleClass: 'bus', axles: '3 or more' } }))],
    ];
    for (const [stream, text] of texts) {
      expect(compactLine(stream, text, names, cache)).toEqual(encodeRecord(stream, text, names));
      // Again, from the cache.
      expect(compactLine(stream, text, names, cache)).toEqual(encodeRecord(stream, text, names));
    }
  });

  it('series tag cache should tell series apart by their dimensions', () => {
    const cache = new SeriesTagCache();
    const tagsOf = (dims: string) =>
      seriesOf(cache, 'tc-1', 'lyon', 'pont', 'mobility', 'mobility.vehicle_count', 'count', dims)?.tags;
    const base =
      ',device=tc-1,domain=mobility,metric=mobility.vehicle_count,site=pont,tenant=lyon,unit=count';
    expect(tagsOf('{}')).toBe(base);
    expect(tagsOf('{"vehicleClass":"bus"}')).toBe(`${base},vehicleClass=bus`);
    expect(tagsOf('{"vehicleClass":"car"}')).toBe(`${base},vehicleClass=car`);
    expect(tagsOf('{"vehicleClass":"bus"}')).toBe(`${base},vehicleClass=bus`);
    expect(tagsOf('{"axles":"2 or 3","vehicleClass":"bus"}')).toBe(
      ',axles=2\\ or\\ 3,device=tc-1,domain=mobility,metric=mobility.vehicle_count,site=pont,tenant=lyon,unit=count,vehicleClass=bus',
    );
    expect(cache.size).toBe(4);
    expect(tagsOf('{"unit":"bus"}')).toBeUndefined();
    expect(cache.size).toBe(4);
  });

  it('record encoder should append to a batch the bytes of the lines the general path writes', () => {
    const next = random(11);
    const encoder = new RecordEncoder(names);
    const batch = new LineBatch();
    const expected: string[] = [];
    const skipped: string[] = [];
    const records: Array<[Stream, string | null]> = [];
    floats(next).forEach((value, i) => {
      const dims: Record<string, string> = i % 3 === 0 ? { vehicleClass: 'bus' } : {};
      records.push(['readings', json(reading({ value, dims, deviceId: `d-${i % 5}`, site: 'é ü' }))]);
      records.push(['aggregates', json(aggregate({ mean: value / 3, dims, window: i % 2 ? '1d' : '15m' }))]);
      if (i % 50 === 0) {
        records.push(['rejections', json(rejection({ detail: `line\nbreak "${i}" ✓` }))]);
        records.push(['readings', json(reading({ value, site: 'back\\slash' }))]);
        records.push(['readings', null]);
      }
    });
    for (const [stream, text] of records) {
      const general = encodeRecord(stream, text, names);
      if (general.ok) expected.push(general.line);
      else skipped.push(general.cause);
      const skip = encoder.encodeInto(stream, text === null ? null : Buffer.from(text), batch);
      if (skip !== undefined) expect(skip).toEqual(general);
    }
    expect(batch.size).toBe(expected.length);
    expect(batch.body().toString()).toBe(expected.join('\n'));
    expect(skipped.length).toBeGreaterThan(0);
  });

  it('series tag cache should start over past its limit and keep answering the same tags', () => {
    const cache = new SeriesTagCache(3);
    const tagsOf = (device: string) =>
      seriesOf(cache, device, 'lyon', 'site a', 'water', 'water.flow', 'm3/h')?.tags;
    expect(tagsOf('d1')).toBe(
      ',device=d1,domain=water,metric=water.flow,site=site\\ a,tenant=lyon,unit=m3/h',
    );
    tagsOf('d2');
    tagsOf('d3');
    expect(cache.size).toBe(3);
    tagsOf('d4');
    expect(cache.size).toBe(1);
    expect(tagsOf('d1')).toBe(
      ',device=d1,domain=water,metric=water.flow,site=site\\ a,tenant=lyon,unit=m3/h',
    );
    expect(seriesOf(cache, 'd1', 'lyon', 'a\\b', 'water', 'water.flow', 'm3/h')).toBeUndefined();
  });
});
