import { describe, expect, it } from 'vitest';
import { ReadingParts, seriesText } from '../src/reading-layout.js';
import { reading } from './dst-dataset.js';

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
});
