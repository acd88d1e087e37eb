import { describe, expect, it } from 'vitest';
import { ReadingDecoder } from '../src/reading-decoder.js';
import { reading } from './dst-dataset.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('reading decoder', () => {
  it('accepts a reading of the contract, then later readings of the same series', () => {
    const decoder = new ReadingDecoder();
    const first = reading('em-1', 'energy.active_power', T0, 1_500);
    const second = { ...first, ts: T0 + 60_000, value: 1_400 };
    expect(decoder.decode(bytes(first))).toEqual({ ok: true, reading: first });
    expect(decoder.decode(bytes(second))).toEqual({ ok: true, reading: second });
  });

  it('still checks the time and value of readings of an already validated series', () => {
    const decoder = new ReadingDecoder();
    const valid = reading('em-1', 'energy.active_power', T0, 1_500);
    decoder.decode(bytes(valid));
    expect(decoder.decode(bytes({ ...valid, ts: T0 + 0.5 })).ok).toBe(false);
    expect(decoder.decode(bytes({ ...valid, ts: -1 })).ok).toBe(false);
    expect(decoder.decode(bytes({ ...valid, value: '1500' })).ok).toBe(false);
    expect(decoder.decode(bytes({ ...valid, receivedAt: undefined })).ok).toBe(false);
    expect(decoder.decode(bytes({ ...valid, sourceSeq: -3 })).ok).toBe(false);
  });

  it('validates in full a reading whose series fields differ from a validated one', () => {
    const decoder = new ReadingDecoder();
    const valid = reading('em-1', 'energy.active_power', T0, 1_500);
    decoder.decode(bytes(valid));
    const wrongUnit = decoder.decode(bytes({ ...valid, unit: 'kWh' }));
    expect(wrongUnit.ok).toBe(false);
    expect(wrongUnit.ok ? '' : wrongUnit.reason).toContain('unit of energy.active_power is W');
    expect(decoder.decode(bytes({ ...valid, deviceId: 'EM 1' })).ok).toBe(false);
    expect(decoder.decode(bytes({ ...valid, dims: { 'bad name': 'x' } })).ok).toBe(false);
  });

  it('refuses what is not a JSON reading, with a reason', () => {
    const decoder = new ReadingDecoder();
    for (const value of [
      null,
      Buffer.from('not json'),
      bytes([1, 2]),
      bytes('text'),
      bytes({ deviceId: 'em-1' }),
    ]) {
      const decoded = decoder.decode(value);
      expect(decoded.ok).toBe(false);
      expect(decoded.ok ? '' : decoded.reason).not.toBe('');
    }
  });

  it('decodes later records of a series in the validator layout to what JSON.parse gives', () => {
    const decoder = new ReadingDecoder();
    const first = {
      ...reading('tc-1', 'mobility.vehicle_count', T0, 12, { vehicleClass: 'car' }),
      sourceSeq: 7,
    };
    decoder.decode(bytes(first));
    for (const later of [
      { ...first, ts: T0 + 60_000, value: -0.125, sourceSeq: 8 },
      { ...first, ts: T0 + 120_000, value: 1.5e-7, receivedAt: T0 + 120_500, sourceSeq: 0 },
      { ...first, ts: T0 + 180_000, value: 3e21, sourceSeq: undefined },
    ]) {
      const text = bytes(later);
      expect(decoder.decode(text)).toEqual({ ok: true, reading: JSON.parse(text.toString()) });
    }
  });

  it('still refuses numbers out of the contract in records of a series in the validator layout', () => {
    const decoder = new ReadingDecoder();
    const valid = reading('em-1', 'energy.active_power', T0, 1_500);
    const text = bytes(valid).toString();
    decoder.decode(Buffer.from(text));
    for (const bad of [
      text.replace(`"ts":${T0}`, `"ts":${T0}.5`),
      text.replace(`"ts":${T0}`, '"ts":-1'),
      text.replace(`"ts":${T0}`, '"ts":9000000000000000'),
      text.replace('"value":1500', '"value":1e999'),
      text.replace('"value":1500', '"value":"1500"'),
      text.replace('}', ',"sourceSeq":-3}'),
    ]) {
      expect(decoder.decode(Buffer.from(bad)).ok, bad).toBe(false);
    }
    // Valid JSON the layout does not cover takes the full path and is still accepted.
    expect(decoder.decode(Buffer.from(text.replace(`"ts":${T0}`, `"ts":${T0}.0`))).ok).toBe(true);
    expect(decoder.decode(Buffer.from(text.replace('"value":1500', '"value": 1500'))).ok).toBe(true);
  });
});
