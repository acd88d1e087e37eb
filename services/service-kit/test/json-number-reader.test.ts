import { describe, expect, it } from 'vitest';
import { JsonNumberReader } from '../src/json-number-reader.js';

/** `text` between two bytes that are not part of a number, as a plain Uint8Array. */
const framed = (text: string): Uint8Array => new TextEncoder().encode(`[${text}]`);

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('JsonNumberReader.number', () => {
  it('reads every number as JSON.parse does, and ends right after it', () => {
    const random = seededRandom(7);
    const texts = [
      '0',
      '-0',
      '1',
      '-1',
      '0.1',
      '2.50',
      '-0.0',
      '1E5',
      '1e+5',
      '1.25E+1',
      '1e-22',
      '1e-23',
      '1e22',
      '1e23',
      '5e-324',
      '1.7976931348623157e308',
      '123456789012345',
      '1234567890123456',
      '9007199254740993',
      '123456789012345e7',
      '0.1234567890123456',
      '12345678901234567890',
    ];
    for (let i = 0; i < 5_000; i++) {
      texts.push(JSON.stringify((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)));
      texts.push(JSON.stringify(Math.round(random() * 1e9) / 10 ** Math.floor(random() * 10)));
    }
    const reader = new JsonNumberReader();
    for (const text of texts) {
      const value = reader.number(framed(text), 1);
      expect(Object.is(value, JSON.parse(text)), text).toBe(true);
      expect(reader.end, text).toBe(1 + text.length);
    }
  });

  it('refuses what is not a JSON number, or is beyond a double, and keeps its end', () => {
    const reader = new JsonNumberReader();
    reader.number(framed('42'), 1);
    for (const text of [
      '',
      '-',
      '+1',
      '01',
      '-01.5',
      '.5',
      '1.',
      '1.e3',
      '1e',
      '1e+',
      'NaN',
      '"1"',
      '1e999',
      '-1e999',
    ]) {
      expect(reader.number(framed(text), 1), text).toBeUndefined();
      expect(reader.end, text).toBe(3);
    }
  });

  it('stops at the first byte that cannot continue the number', () => {
    const reader = new JsonNumberReader();
    expect(reader.number(framed('1.2.3'), 1)).toBe(1.2);
    expect(reader.end).toBe(4);
    expect(reader.number(framed('7,8'), 1)).toBe(7);
    expect(reader.end).toBe(2);
  });
});

describe('JsonNumberReader.integer', () => {
  it('reads an integer of 1 to 15 digits where it stands', () => {
    const reader = new JsonNumberReader();
    const bytes = new TextEncoder().encode('{"ts":1767225600000,"seq":0}');
    expect(reader.integer(bytes, 6)).toBe(1_767_225_600_000);
    expect(reader.end).toBe(19);
    expect(reader.integer(bytes, 26)).toBe(0);
    expect(reader.end).toBe(27);
    expect(reader.integer(framed('999999999999999'), 1)).toBe(999_999_999_999_999);
  });

  it('refuses a sign, a leading zero, no digit or more than 15, and keeps its end', () => {
    const reader = new JsonNumberReader();
    reader.integer(framed('5'), 1);
    for (const text of ['', '-1', '+1', '01', '00', '1234567890123456', 'x']) {
      expect(reader.integer(framed(text), 1), text).toBeUndefined();
      expect(reader.end, text).toBe(2);
    }
  });
});
