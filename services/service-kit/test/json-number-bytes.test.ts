import { describe, expect, it } from 'vitest';
import { MAX_JSON_NUMBER_BYTES, writeDecimal, writeJsonNumber } from '../src/json-number-bytes.js';

const buffer = Buffer.alloc(MAX_JSON_NUMBER_BYTES);
const written = (n: number): string => buffer.toString('latin1', 0, writeJsonNumber(buffer, 0, n));

/** Deterministic pseudo-random numbers in [0, 1) (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe('JSON number bytes', () => {
  it('writes what JSON.stringify writes for edge values', () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      99,
      100,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      1e9,
      1e9 - 1,
      1e9 + 1,
      1e15,
      1e15 - 1,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 53,
      2 ** 60,
      1e21,
      1e22,
      1.5,
      -1.5,
      0.1,
      0.2,
      0.1 + 0.2,
      1 / 3,
      2 / 3,
      1e-6,
      1.5e-6,
      9.99e-7,
      1e-7,
      5e-324,
      Number.MAX_VALUE,
      123456789.123456,
      99999999999999.9,
      999999999999999.9,
      0.000123,
      10023.25,
      1795867200015.1516,
      1e14 + 0.5,
      4.35,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.EPSILON,
      1 - Number.EPSILON,

      0,
      -0,
      1,
      -1,
      0.1,
      0.1 + 0.2,
      1.8,
      -12.25,
      0.000001,
      0.0000015,
      0.0000001,
      1e-7,
      5e-324,
      123_456.789,
      2 ** 50 / 10 + 0.5,
      2 ** 50 / 1e6,
      2 ** 49 / 1e6 + 0.000001,
      2 ** 53,
      2 ** 53 + 2,
      1e21,
      1.5e21,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      Number.MAX_VALUE,
      -Number.MIN_VALUE,
      999_999.999_999,
      0.999_999_9,
      9.999_999,
      1 / 3,
      2 / 3,
      Math.PI,
      52_000.1,
      1000.01,
    ];
    for (const n of edges) expect(written(n), String(n)).toBe(JSON.stringify(n));
  });

  it('writes what JSON.stringify writes for integers, decimals and doubles of every size', () => {
    const next = random(0x2545f491);
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const digits = 1 + Math.floor(next() * 17);
      const decimals = Math.floor(next() * 17);
      const sign = next() < 0.2 ? -1 : 1;
      const mantissa = Math.floor(next() * 10 ** digits);
      const magnitude = 10 ** Math.floor(next() * 16 - 4);
      const candidates = [
        (sign * mantissa) / 10 ** decimals,
        sign * mantissa * 10 ** (decimals - 8),
        sign * next() * 10 ** (digits - 8),
        Math.fround(sign * next() * 10 ** digits),
        sign * Number((next() * magnitude).toFixed(decimals % 8)),
        i / 10,
        i / 100 + 1000,
      ];
      for (const n of candidates) if (written(n) !== JSON.stringify(n)) wrong.push(String(n));
    }
    expect(wrong).toEqual([]);
  });

  it('leaves decimals beyond 15 significant digits, and tiny ones, to String()', () => {
    expect(writeDecimal(buffer, 0, 0.1)).toBe(3);
    expect(writeDecimal(buffer, 0, 1e-7)).toBe(-1);
    expect(writeDecimal(buffer, 0, 1 / 3)).toBe(-1);
  });
});
