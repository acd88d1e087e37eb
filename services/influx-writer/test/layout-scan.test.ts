import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../src/domain/encode-record.js';
import { scanLayout } from '../src/domain/layout-scan.js';
import { measurementNames } from '../src/domain/line-protocol.js';
import { RecordEncoder } from '../src/domain/record-encoder.js';
import { ends, F, has, isPlain, starts } from '../src/domain/record-fields.js';
import { aggregate, reading } from './fixtures.js';

const names = measurementNames('t_');
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

/** An aggregate with its keys in the order the aggregator writes them (consumption last). */
function aggregatorAggregate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { consumption, ...rest } = { ...aggregate(), ...overrides };
  return consumption === undefined ? rest : { ...rest, consumption };
}

const text = (record: Buffer, f: number) => record.toString('utf8', starts[f], ends[f]);

describe('scanning records in their producer layout', () => {
  it('layout scan should take a reading as the validator writes it, and note its fields', () => {
    const record = bytes(reading({ value: 12.5, dims: { vehicleClass: 'bus' }, site: 'école' }));
    expect(scanLayout('readings', record)).toBe(true);
    expect(text(record, F.deviceId)).toBe('wm-0042');
    expect(text(record, F.site)).toBe('école');
    expect(text(record, F.unit)).toBe('m3/h');
    expect(text(record, F.dims)).toBe('{"vehicleClass":"bus"}');
    expect(text(record, F.value)).toBe('12.5');
    expect(isPlain(F.value)).toBe(true);
    expect(text(record, F.ts)).toBe(String(reading().ts));
  });

  it('layout scan should take a reading with its sourceSeq', () => {
    expect(scanLayout('readings', bytes({ ...reading(), sourceSeq: 7 }))).toBe(true);
  });

  it('layout scan should take an aggregate as the aggregator writes it, with or without consumption', () => {
    const record = bytes(aggregatorAggregate({ mean: 1 / 3 }));
    expect(scanLayout('aggregates', record)).toBe(true);
    expect(text(record, F.window)).toBe('1h');
    expect(text(record, F.mean)).toBe(String(1 / 3));
    expect(isPlain(F.mean)).toBe(false);
    expect(has(F.consumption)).toBe(true);
    expect(scanLayout('aggregates', bytes(aggregatorAggregate({ consumption: undefined })))).toBe(true);
    expect(has(F.consumption)).toBe(false);
  });

  it('layout scan should leave any other layout to the general scan', () => {
    const r = JSON.stringify(reading());
    const refused: Array<['readings' | 'aggregates', string]> = [
      ['readings', r.replace('"kind":"instantaneous","unit":"m3/h"', '"unit":"m3/h","kind":"instantaneous"')],
      ['readings', r.replace('"dims":{}', '"dims":{},"extra":1')],
      ['readings', r.replace('"receivedAt":', '"receivedAt":"x","y":')],
      ['readings', r.replace(',"ts"', ', "ts"')],
      ['readings', `${r.slice(0, -1)},"sourceSeq":"7"}`],
      ['readings', `${r} `],
      ['aggregates', JSON.stringify(aggregate())], // consumption before timezone
      ['aggregates', JSON.stringify({ ...aggregatorAggregate(), resets: 1 })],
      ['aggregates', JSON.stringify(aggregatorAggregate({ timezone: 7 }))],
      ['aggregates', JSON.stringify(aggregatorAggregate({ window: '1h', windowEnd: 'soon' }))],
    ];
    const encoder = new RecordEncoder(names);
    for (const [stream, t] of refused) {
      expect(scanLayout(stream, Buffer.from(t))).toBe(false);
      // What the compact path then writes is still the general path's line.
      expect(encoder.encode(stream, Buffer.from(t))).toEqual(encodeRecord(stream, t, names));
    }
  });

  it('record encoder should write what the general path writes for records of invalid UTF-8', () => {
    const encoder = new RecordEncoder(names);
    const [head, tail] = JSON.stringify(reading({ site: '@', dims: { vehicleClass: '@' } })).split('"@"') as [
      string,
      string,
    ];
    for (const bad of [[0xe2], [0xe2, 0x82], [0xff], [0xc3], [0x80, 0x41], [0xf0, 0x9f, 0x98]]) {
      const site = Buffer.from([0x22, 0x61, ...bad, 0x22]);
      const record = Buffer.concat([Buffer.from(head), site, Buffer.from(tail.replace('"@"', '"b"'))]);
      expect(encoder.encode('readings', record)).toEqual(encodeRecord('readings', record.toString(), names));
      const dims = Buffer.from(tail.replace('"@"', `"${Buffer.from(bad).toString('latin1')}"`), 'latin1');
      const other = Buffer.concat([Buffer.from(head), Buffer.from('"s"'), dims]);
      expect(encoder.encode('readings', other)).toEqual(encodeRecord('readings', other.toString(), names));
    }
  });

  it('record encoder should write records in the producer layouts as the general path', () => {
    const encoder = new RecordEncoder(names);
    const records: Array<['readings' | 'aggregates', string]> = [];
    [0.1, 1 / 3, -2.5, 1e21, 123456789.123, 0, 5e-7].forEach((value, i) => {
      const dims: Record<string, string> = i % 2 === 0 ? {} : { vehicleClass: 'bus' };
      records.push(['readings', JSON.stringify({ ...reading({ value, dims }), sourceSeq: i })]);
      records.push(['readings', JSON.stringify(reading({ value, deviceId: `d-${i % 3}`, site: 'é ü' }))]);
      const a = { sum: value, min: value / 7, max: value * 3, mean: value / 3, last: -value, dims };
      records.push(['aggregates', JSON.stringify(aggregatorAggregate({ ...a, window: '15m' }))]);
      records.push(['aggregates', JSON.stringify(aggregatorAggregate({ ...a, consumption: undefined }))]);
    });
    for (const [stream, t] of records) {
      expect(scanLayout(stream, Buffer.from(t))).toBe(true);
      expect(encoder.encode(stream, Buffer.from(t))).toEqual(encodeRecord(stream, t, names));
    }
  });
});
