import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../src/json-bytes.js';

describe('JSON bytes of a list of numbers', () => {
  it('should write what JSON.stringify writes, growing a small buffer as it needs', () => {
    const lists = [
      [],
      [0],
      [-0, 1.5, -(2 ** 53) + 1, 2 ** 53 + 2, 1795867200015.1516, 1 / 3, 1e21, 5e-324, 1e-7],
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE],
      Array.from({ length: 500 }, (_, i) => 1_790_000_000_000 + i * 60_000.25),
    ];
    for (const list of lists) {
      const out = new JsonBytes(4);
      out.ascii('x');
      out.numbers(list);
      out.byte(0x79 /* y */);
      expect(out.buffer.toString('utf8', 0, out.at)).toBe(`x${JSON.stringify(list)}y`);
    }
  });

  it('should write nothing and answer false when a value is not a number', () => {
    const out = new JsonBytes(4);
    out.ascii('[');
    expect(out.numbers([1, 2, '3'])).toBe(false);
    expect(out.numbers([1, undefined])).toBe(false);
    expect(out.buffer.toString('utf8', 0, out.at)).toBe('[');
  });
});
