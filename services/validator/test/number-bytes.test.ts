import { describe, expect, it } from 'vitest';
import { writeNumber, writeShortDecimal } from '../src/domain/number-bytes.js';

const buffer = Buffer.alloc(64);
const written = (n: number): string => buffer.toString('latin1', 0, writeNumber(buffer, 0, n));

/** A deterministic stream of numbers in [0, 1). */
function randoms(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('number bytes', () => {
  it('writes what JSON.stringify writes for edge values', () => {
    const edges = [
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

  it('writes what JSON.stringify writes for decimals, quotients and random doubles', () => {
    const random = randoms(7);
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i += 1) {
      const digits = Math.floor(random() * 8);
      const sign = random() < 0.3 ? -1 : 1;
      const magnitude = 10 ** Math.floor(random() * 16 - 4);
      const candidates = [
        sign * Number((random() * magnitude).toFixed(digits)),
        (sign * Math.floor(random() * 1e6)) / 10 ** digits,
        sign * random() * magnitude,
        i / 10,
        i / 100 + 1000,
      ];
      for (const n of candidates) if (written(n) !== JSON.stringify(n)) wrong.push(String(n));
    }
    expect(wrong).toEqual([]);
  });

  it('leaves numbers beyond 6 fraction digits to String()', () => {
    expect(writeShortDecimal(buffer, 0, 0.1)).toBe(3);
    expect(writeShortDecimal(buffer, 0, 1e-7)).toBe(-1);
    expect(writeShortDecimal(buffer, 0, 1 / 3)).toBe(-1);
  });
});
