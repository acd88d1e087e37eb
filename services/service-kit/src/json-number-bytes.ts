/**
 * A number's JSON text written straight into bytes, byte for byte what `JSON.stringify` writes,
 * for the services' hot encoders (the validator's readings, the aggregator's aggregates). Building
 * the text with `String(value)` costs a string per number, then a copy of it into the output.
 *
 * Integers and short decimals (up to 15 significant digits: timestamps, meter indexes, sums of
 * them) are formatted here without a string; any other finite number goes through
 * `String(value)`, which is what JSON.stringify writes for it, and a non-finite one is `null`.
 */

/** Room the text of any number takes at most (`-1.2345678901234567e-308` is 24 characters). */
export const MAX_JSON_NUMBER_BYTES = 25;

/** 10^0 to 10^15, exact in a double. */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/**
 * Limit of the decimal fast path's digits: with at most 15 significant digits, two decimals that
 * name the same double cannot exist, so the shortest one is the one found (see `writeDecimal`).
 */
const MAX_DIGITS_VALUE = 1e15;
/** Below it, JS writes a number in exponent notation (`1e-7`): left to `String()`. */
const MIN_FIXED = 1e-6;
const TWO_POW_31 = 2 ** 31;
const BILLION = 1e9;
/** "00" to "99": two digits per division. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)));

/**
 * Writes `JSON.stringify(value)` at `at` and returns the offset after it. The caller leaves
 * `MAX_JSON_NUMBER_BYTES` of room.
 */
export function writeJsonNumber(buffer: Uint8Array, at: number, value: number): number {
  // Most numbers (gaps between timestamps, counts, small values) are int32.
  if ((value | 0) === value) return writeInteger(buffer, at, value);
  if (Number.isInteger(value)) {
    if (value <= Number.MAX_SAFE_INTEGER && value >= -Number.MAX_SAFE_INTEGER)
      return writeInteger(buffer, at, value);
  } else {
    const end = writeDecimal(buffer, at, value);
    if (end >= 0) return end;
  }
  return writeAscii(buffer, at, Number.isFinite(value) ? String(value) : 'null');
}

function writeAscii(buffer: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** A safe integer; -0 is written `0`, as JSON.stringify does. */
function writeInteger(buffer: Uint8Array, at: number, value: number): number {
  let end = at;
  let n = value;
  if (n < 0) {
    buffer[end++] = 0x2d; /* - */
    n = -n;
  }
  if (n < TWO_POW_31) return writeUint31(buffer, end, n);
  // Two int32 halves: int arithmetic instead of a double's division and modulo per digit.
  const high = Math.floor(n / BILLION);
  end = writeUint31(buffer, end, high);
  return writePadded(buffer, end, n - high * BILLION, 9);
}

/**
 * A finite non-integer with at most 15 significant digits and no exponent, written as
 * `Number.prototype.toString` does; -1 (nothing that counts written) for any other number.
 *
 * The fewest fraction digits `f` for which `round(|value| * 10^f) / 10^f === |value|` give the
 * shortest decimal that reads back as the value: the division is correctly rounded, as is
 * reading the decimal, so both give the same double. Below 10^15 a step of 10^-f is more than
 * two doubles apart, so no other decimal of `f` digits reads back as it: toString's choice.
 */
export function writeDecimal(buffer: Uint8Array, at: number, value: number): number {
  const magnitude = value < 0 ? -value : value;
  if (!(magnitude >= MIN_FIXED && magnitude < MAX_DIGITS_VALUE)) return -1;
  for (let f = 1; f < POW10.length; f++) {
    const scale = POW10[f] as number;
    const scaled = Math.round(magnitude * scale);
    if (scaled >= MAX_DIGITS_VALUE) return -1;
    if (scaled / scale !== magnitude) continue;
    let end = at;
    if (value < 0) buffer[end++] = 0x2d; /* - */
    const whole = Math.floor(scaled / scale);
    end = writeInteger(buffer, end, whole);
    buffer[end++] = 0x2e; /* . */
    return writePadded(buffer, end, scaled - whole * scale, f);
  }
  return -1;
}

/** `n` in [0, 2^31], without leading zeros. */
function writeUint31(buffer: Uint8Array, at: number, n: number): number {
  let digits = 1;
  for (let bound = 10; digits < 10 && n >= bound; bound *= 10) digits++;
  return writePadded(buffer, at, n, digits);
}

/** `n` (an integer below 10^15) in exactly `digits` digits, zeros in front. */
function writePadded(buffer: Uint8Array, at: number, n: number, digits: number): number {
  if (n >= TWO_POW_31) {
    const high = Math.floor(n / BILLION);
    const end = writePadded(buffer, at, high, digits - 9);
    return writePadded(buffer, end, n - high * BILLION, 9);
  }
  const end = at + digits;
  let i = end;
  let rest = n;
  while (i - at >= 2) {
    const quotient = (rest / 100) | 0;
    const pair = (rest - quotient * 100) << 1;
    buffer[--i] = PAIRS[pair + 1] as number;
    buffer[--i] = PAIRS[pair] as number;
    rest = quotient;
  }
  if (i > at) buffer[--i] = 0x30 + rest;
  return end;
}
