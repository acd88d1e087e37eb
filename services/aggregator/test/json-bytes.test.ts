import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../src/json-bytes.js';

/** The text `write` puts into a fresh writer, starting small so that it has to grow. */
function written(write: (out: JsonBytes) => void): string {
  const out = new JsonBytes(4);
  write(out);
  return out.buffer.toString('utf8', 0, out.at);
}

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

describe('JSON bytes', () => {
  it('writes numbers as JSON.stringify does', () => {
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
    ];
    for (const value of edges)
      expect(
        written((o) => o.number(value)),
        String(value),
      ).toBe(JSON.stringify(value));
  });

  it('writes random integers and decimals of every size as JSON.stringify does', () => {
    const next = random(0x2545f491);
    const out = new JsonBytes();
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const digits = 1 + Math.floor(next() * 17);
      const decimals = Math.floor(next() * 17);
      const sign = next() < 0.2 ? -1 : 1;
      const mantissa = Math.floor(next() * 10 ** digits);
      const candidates = [
        (sign * mantissa) / 10 ** decimals,
        sign * mantissa * 10 ** (decimals - 8),
        sign * next() * 10 ** (digits - 8),
        Math.fround(sign * next() * 10 ** digits),
      ];
      for (const value of candidates) {
        out.reset();
        out.number(value);
        if (out.buffer.toString('latin1', 0, out.at) !== JSON.stringify(value)) wrong.push(String(value));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('writes strings as JSON.stringify does, escapes and non-ASCII text included', () => {
    const texts = [
      '',
      'plain',
      'quote " and \\ backslash',
      'line\nbreak\t',
      '\u0000\u001f\u007f',
      'é 漢 😀',
      '\ud800',
    ];
    for (const text of texts) expect(written((o) => o.string(text))).toBe(JSON.stringify(text));
  });

  it('writes plain data as JSON.stringify does, and leaves other values to it', () => {
    const values: unknown[] = [
      { a: 1, b: [1, 'x', null, true, false, undefined, () => 1], c: undefined, d: { e: {} }, f: [] },
      [{ 2: 'two', 1: 'one', z: 0 }, Object.create(null)],
      { date: new Date(0), custom: { toJSON: () => 'custom' }, map: new Map([[1, 2]]) },
      'text',
      3.25,
      null,
    ];
    for (const value of values) expect(written((o) => o.json(value))).toBe(JSON.stringify(value));
  });

  it('writes a member in another form where asked, keeping the key order', () => {
    const text = written((o) =>
      o.object({ a: 1, b: [1, 2], c: 'x' }, 'b', (out, value) => out.json((value as number[]).length)),
    );
    expect(text).toBe('{"a":1,"b":2,"c":"x"}');
  });

  it('keeps views taken before it grows', () => {
    const out = new JsonBytes(8);
    out.ascii('"first"');
    const first = out.buffer.subarray(0, out.at);
    out.string('a longer text that makes the buffer grow');
    expect(first.toString()).toBe('"first"');
    expect(out.buffer.toString('utf8', 0, out.at)).toBe('"first""a longer text that makes the buffer grow"');
  });
});
