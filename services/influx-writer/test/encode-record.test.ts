import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../src/domain/encode-record.js';
import { measurementNames } from '../src/domain/line-protocol.js';
import { rejectionTimestampNs } from '../src/domain/rejection-timestamp.js';
import { aggregate, reading, rejection } from './fixtures.js';

const names = measurementNames('t_');
const json = (value: unknown) => JSON.stringify(value);

describe('encoding Kafka records', () => {
  it('encodes a reading record of the contract into a reading point', () => {
    const result = encodeRecord('readings', json(reading()), names);
    expect(result.ok && result.measurement).toBe('reading');
    expect(result.ok && result.line.startsWith('t_reading,device=wm-0042,')).toBe(true);
  });

  it('encodes an aggregate record into the measurement of its window', () => {
    const result = encodeRecord('aggregates', json(aggregate({ window: '1d' })), names);
    expect(result.ok && result.measurement).toBe('aggregate_1d');
  });

  it('keeps the aggregator resets field, which the contract does not define yet', () => {
    const result = encodeRecord('aggregates', json({ ...aggregate(), resets: 2 }), names);
    expect(result.ok && result.line).toContain('resets=2i');
  });

  it('encodes a rejection with the device hint, or unknown without one', () => {
    const withHint = encodeRecord('rejections', json(rejection()), names);
    expect(withHint.ok && withHint.line).toMatch(
      /^t_rejection,device=wm-0042,reason=VALUE_OUT_OF_RANGE count=1i,/,
    );
    const { deviceIdHint: _, ...anonymous } = rejection();
    const without = encodeRecord('rejections', json(anonymous), names);
    expect(without.ok && without.line).toMatch(/^t_rejection,device=unknown,/);
  });

  it('skips a record without value as empty', () => {
    expect(encodeRecord('readings', null, names)).toEqual({
      ok: false,
      cause: 'empty',
      detail: 'record has no value',
    });
  });

  it('skips text that is not a JSON object as malformed', () => {
    expect(encodeRecord('readings', '{"deviceId":', names)).toMatchObject({
      ok: false,
      cause: 'malformed_json',
    });
    expect(encodeRecord('readings', '[1,2]', names)).toMatchObject({ ok: false, cause: 'malformed_json' });
  });

  it('skips JSON that lacks a stored field or has it with the wrong type as invalid', () => {
    const { value: _, ...noValue } = reading();
    expect(encodeRecord('readings', json(noValue), names)).toEqual({
      ok: false,
      cause: 'invalid_record',
      detail: 'value is not a number',
    });
    expect(
      encodeRecord('readings', json(reading({ dims: { vehicleClass: 3 as unknown as string } })), names),
    ).toEqual({
      ok: false,
      cause: 'invalid_record',
      detail: 'dims.vehicleClass is not a string',
    });
    expect(encodeRecord('aggregates', json({ ...aggregate(), count: '4' }), names)).toMatchObject({
      cause: 'invalid_record',
    });
    expect(encodeRecord('rejections', json({ ...rejection(), source: undefined }), names)).toMatchObject({
      cause: 'invalid_record',
    });
  });

  it('skips a valid record that line protocol cannot store as unrepresentable', () => {
    const result = encodeRecord('readings', json(reading({ dims: { metric: 'x' } })), names);
    expect(result).toMatchObject({ ok: false, cause: 'unrepresentable' });
  });
});

describe('rejection timestamps', () => {
  const base = rejection();

  it('puts the rejection in the millisecond the bridge received the message', () => {
    const ns = rejectionTimestampNs(base);
    expect(ns).toHaveLength(19);
    expect(ns.slice(0, 13)).toBe(String(base.receivedAt));
  });

  it('gives the same timestamp to the same rejection delivered again, whatever its Kafka position', () => {
    expect(rejectionTimestampNs({ ...base })).toBe(rejectionTimestampNs(structuredClone(base)));
  });

  it('separates rejections of one device and reason in the same millisecond', () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < 200; offset++) {
      seen.add(rejectionTimestampNs({ ...base, source: { partition: 2, offset: String(offset) } }));
    }
    for (let index = 0; index < 100; index++) {
      seen.add(
        rejectionTimestampNs({
          ...base,
          issues: [{ path: `readings.${index}.value`, message: 'too large' }],
        }),
      );
    }
    expect(seen.size).toBe(300);
  });
});
