import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../src/json-bytes.js';

/** The text `write` puts into a fresh writer, starting small so that it has to grow. */
function written(write: (out: JsonBytes) => void): string {
  const out = new JsonBytes(4);
  write(out);
  return out.buffer.toString('utf8', 0, out.at);
}

describe('JSON bytes', () => {
  it('writes numbers as JSON.stringify does, growing as it needs', () => {
    for (const value of [0, -1.5, 2 ** 31, 1795867200015.1516, 1 / 3, Number.NaN])
      expect(written((o) => o.number(value))).toBe(JSON.stringify(value));
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

  it('keeps views taken before it grows', () => {
    const out = new JsonBytes(8);
    out.ascii('"first"');
    const first = out.buffer.subarray(0, out.at);
    out.string('a longer text that makes the buffer grow');
    expect(first.toString()).toBe('"first"');
    expect(out.buffer.toString('utf8', 0, out.at)).toBe('"first""a longer text that makes the buffer grow"');
  });
});
