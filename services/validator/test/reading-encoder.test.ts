import { describe, expect, it } from 'vitest';
import { encodeReading } from '../src/domain/index.js';

const reading = {
  deviceId: 'wm-0001',
  tenant: 'commune-a',
  site: 'ecole-jaures',
  domain: 'water',
  metric: 'water.flow',
  kind: 'instantaneous',
  unit: 'm3/h',
  value: 1.8,
  ts: 1_772_359_200_000,
  receivedAt: 1_772_359_260_000,
  dims: {},
  sourceSeq: 7,
} as const;

const numbers = [
  0,
  -0,
  1,
  -1,
  1.8,
  0.1 + 0.2,
  99_999_999,
  100_000_000,
  1_772_359_200_000,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53,
  1e21,
  1e-7,
  5e-324,
  -1.7976931348623157e308,
  123_456.789,
];

const expectSameBytes = (value: unknown) =>
  expect(encodeReading(value as never).toString('latin1')).toBe(
    Buffer.from(JSON.stringify(value)).toString('latin1'),
  );

describe('reading encoder', () => {
  it('writes the bytes of JSON.stringify for every number a reading may hold', () => {
    for (const n of numbers) {
      expectSameBytes({ ...reading, value: n, ts: n, receivedAt: n, sourceSeq: n });
    }
  });

  it('writes the bytes of JSON.stringify for dimensions, a missing seq and text that needs escapes', () => {
    expectSameBytes({ ...reading, dims: { vehicleClass: 'car' } });
    const { sourceSeq: _, ...withoutSeq } = reading;
    expectSameBytes(withoutSeq);
    expectSameBytes({ ...reading, site: 'é"\\\n\u0001\ud800', tenant: 'm³' });
  });

  it('writes the bytes of JSON.stringify for dimensions seen before, several dimensions and odd values', () => {
    const dimsList = [
      { vehicleClass: 'car' },
      { vehicleClass: 'truck' },
      { vehicleClass: 'car' },
      { lane: 'car' },
      { vehicleClass: 'é"\\' },
      { vehicleClass: 'car', lane: '2' },
      { lane: '2', vehicleClass: 'car' },
      { vehicleClass: 3 },
      { vehicleClass: undefined },
      { vehicleClass: 'car' },
    ];
    for (const dims of dimsList) expectSameBytes({ ...reading, dims });
  });

  it('leaves readings of another shape to JSON.stringify', () => {
    expectSameBytes({ ...reading, extra: 1 });
    expectSameBytes({ ...reading, sourceSeq: undefined });
    expectSameBytes({ ...reading, value: Number.NaN, ts: Number.POSITIVE_INFINITY });
    expectSameBytes({ ...reading, value: '1' });
    const { deviceId, ...rest } = reading;
    expectSameBytes({ ...rest, deviceId });
    expectSameBytes({ ...reading, dims: { toJSON: () => 'x' } });
    expectSameBytes({ ...reading, toJSON: () => 'x' });
    expectSameBytes({ ...reading, dims: [] });
  });

  it('keeps each output intact while later ones are written', () => {
    const outputs = Array.from({ length: 2_000 }, (_, i) => ({
      ...reading,
      sourceSeq: i,
      deviceId: `d-${i % 7}`,
    }));
    const encoded = outputs.map(encodeReading);
    encoded.forEach((bytes, i) => {
      expect(bytes.toString()).toBe(JSON.stringify(outputs[i]));
    });
  });
});
