import { EnvelopeReading, ReadingDims, ReadingEnvelope } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../src/domain/index.js';
import { decodeWellFormedEnvelope, WELL_FORMED_KEYS } from '../src/domain/well-formed-envelope.js';
import { RECEIVED_AT } from './fixtures.js';

const reading = { metric: 'water.flow', value: 0.5, unit: 'L/s' };
const base = { v: 1, deviceId: 'wm-0001', ts: RECEIVED_AT - 1000, seq: 7, readings: [reading] };

/** Envelopes the check must either decode exactly as the schema does or leave to it. */
const corpus: unknown[] = [
  base,
  { v: 1, deviceId: 'wm-0001', readings: [{ metric: 'water.flow', value: 2 }] },
  {
    ...base,
    readings: [reading, { metric: 'mobility.vehicle_count', value: 3, dims: { vehicleClass: 'car' } }],
  },
  { ...base, readings: [{ ...reading, dims: {} }] },
  { ...base, readings: [{ ...reading, ts: RECEIVED_AT }] },
  { ...base, ts: 0, seq: 0, readings: [{ ...reading, value: -0, ts: 8_640_000_000_000_000 }] },
  { ...base, seq: Number.MAX_SAFE_INTEGER },
  { ...base, readings: Array.from({ length: 100 }, () => reading) },
  // Valid, but not the plain form: left to the schema.
  { ...base, ts: '2026-03-01T10:59:30+01:00' },
  { ...base, readings: [{ ...reading, ts: '2026-03-01T10:00:00Z' }] },
  { ...base, deviceId: 'wm-0002' },
  // Invalid in every way a device gets it wrong.
  { ...base, v: 2 },
  { ...base, v: '1' },
  { ...base, deviceId: 5 },
  { ...base, extra: true },
  { ...base, ts: -1 },
  { ...base, ts: 1.5 },
  { ...base, ts: 8_640_000_000_000_001 },
  { ...base, ts: null },
  { ...base, seq: -1 },
  { ...base, seq: 2 ** 53 },
  { ...base, seq: '3' },
  { ...base, readings: [] },
  { ...base, readings: Array.from({ length: 101 }, () => reading) },
  { ...base, readings: {} },
  { ...base, readings: [null] },
  { ...base, readings: [[]] },
  { ...base, readings: [{ ...reading, metric: 'water.nope' }] },
  { ...base, readings: [{ ...reading, metric: 'toString' }] },
  { ...base, readings: [{ ...reading, value: '1' }] },
  { ...base, readings: [{ ...reading, unit: '' }] },
  { ...base, readings: [{ ...reading, unit: 'x'.repeat(16) }] },
  { ...base, readings: [{ ...reading, unit: 'x'.repeat(17) }] },
  { ...base, readings: [{ ...reading, unit: null }] },
  { ...base, readings: [{ ...reading, valeu: 1 }] },
  { ...base, readings: [{ ...reading, dims: { vehicleClass: 'plane' } }] },
  { ...base, readings: [{ ...reading, dims: { other: 'x' } }] },
  { ...base, readings: [{ ...reading, dims: null }] },
  { ...base, readings: [{ ...reading, dims: [] }] },
  { metric: 'water.flow', value: 1 },
  [base],
  null,
  'envelope',
];

describe('well-formed envelope check', () => {
  it('knows exactly the keys of the contract, so a contract change cannot slip past it', () => {
    expect(WELL_FORMED_KEYS.envelope).toEqual(Object.keys(ReadingEnvelope.shape));
    expect(WELL_FORMED_KEYS.reading).toEqual(Object.keys(EnvelopeReading.shape));
    expect(WELL_FORMED_KEYS.dims).toEqual(Object.keys(ReadingDims.shape));
  });

  it('decodes every envelope it accepts exactly as the schema does, and leaves the rest to it', () => {
    let accepted = 0;
    for (const value of corpus) {
      const fast = decodeWellFormedEnvelope(JSON.parse(JSON.stringify(value)), 'wm-0001');
      if (fast === undefined) continue;
      accepted += 1;
      expect(fast).toEqual(decodeEnvelope(JSON.parse(JSON.stringify(value))));
    }
    expect(accepted).toBe(9); // the first 7, the 100 readings, and the 16-character unit
  });

  it('takes the common envelope with epoch-ms times', () => {
    expect(decodeWellFormedEnvelope(base, 'wm-0001')).toEqual({
      ok: true,
      deviceId: 'wm-0001',
      envelopeTs: RECEIVED_AT - 1000,
      seq: 7,
      items: [{ ok: true, path: 'readings.0', reading }],
    });
  });

  it('leaves ISO times, another device and every invalid envelope to the schema', () => {
    expect(decodeWellFormedEnvelope({ ...base, ts: '2026-03-01T10:00:00Z' }, 'wm-0001')).toBeUndefined();
    expect(decodeWellFormedEnvelope(base, 'wm-0002')).toBeUndefined();
    expect(decodeWellFormedEnvelope({ ...base, readings: [] }, 'wm-0001')).toBeUndefined();
    expect(decodeWellFormedEnvelope(JSON.parse('{"__proto__":{},"v":1}'), 'wm-0001')).toBeUndefined();
  });
});
