/**
 * Finite numbers written as JSON.stringify writes them, as ASCII digits straight into a buffer:
 * without the intermediate string of `String(n)` for the common values (safe integers, and
 * decimals of up to 6 fraction digits), with `String(n)` for every other.
 */
export function writeNumber(buffer: Buffer, offset: number, n: number): number {
  if (Number.isSafeInteger(n)) return writeInteger(buffer, offset, n);
  const end = writeShortDecimal(buffer, offset, n);
  return end >= 0 ? end : writeAscii(buffer, offset, String(n));
}

/** The fraction digits `writeShortDecimal` tries; from 1e-6 up String() writes no exponent. */
const MAX_FRACTION_DIGITS = 6;
const POW10 = Array.from({ length: MAX_FRACTION_DIGITS + 1 }, (_, k) => 10 ** k);
/**
 * Below this the decimals of k fraction digits lie more than 4 ulps apart, so at most one of them
 * parses back to a given double, and the product `n * 10 ** k` rounds to it.
 */
const MAX_SCALED = 2 ** 50;

/**
 * `String(n)` for a non-integer n that is exactly a decimal of at most 6 fraction digits, i.e. the
 * shortest digits that parse back to n: with k the fewest fraction digits for which
 * `m / 10 ** k === n` (m an integer, the division rounded once like a parse), no shorter text
 * parses back to n, and String() writes those digits in plain notation (1e-6 <= |n| < 1e21).
 * Returns -1, writing nothing that counts, when n is not such a decimal.
 */
export function writeShortDecimal(buffer: Buffer, offset: number, n: number): number {
  const magnitude = Math.abs(n);
  for (let k = 1; k <= MAX_FRACTION_DIGITS; k += 1) {
    const scale = POW10[k] as number;
    const scaled = Math.round(magnitude * scale);
    if (scaled >= MAX_SCALED) return -1;
    if (scaled / scale !== magnitude) continue;
    let end = offset;
    if (n < 0) buffer[end++] = 0x2d; // '-'
    const fraction = scaled % scale;
    end = writeInteger(buffer, end, (scaled - fraction) / scale);
    buffer[end++] = 0x2e; // '.'
    return writeDigits(buffer, end, fraction, k);
  }
  return -1;
}

export function writeAscii(buffer: Buffer, offset: number, text: string): number {
  for (let i = 0; i < text.length; i += 1) buffer[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

/** A safe integer in its digits; below 2 ** 53 it splits exactly into int32 parts of 8 digits. */
export function writeInteger(buffer: Buffer, offset: number, n: number): number {
  let end = offset;
  let rest = n;
  if (rest < 0) {
    buffer[end++] = 0x2d; // '-'
    rest = -rest;
  }
  if (rest < 1e8) return writeDigits(buffer, end, rest | 0, 0);
  const low = rest % 1e8;
  const high = (rest - low) / 1e8;
  if (high < 1e8) {
    end = writeDigits(buffer, end, high | 0, 0);
  } else {
    const middle = high % 1e8;
    end = writeDigits(buffer, end, ((high - middle) / 1e8) | 0, 0);
    end = writeDigits(buffer, end, middle | 0, 8);
  }
  return writeDigits(buffer, end, low | 0, 8);
}

/** The decimal digits of an int32 `value` >= 0, zero-padded to `width`. */
function writeDigits(buffer: Buffer, offset: number, value: number, width: number): number {
  let count = 1;
  for (let scan = value; scan >= 10; scan = (scan / 10) | 0) count += 1;
  if (count < width) count = width;
  let n = value;
  for (let i = offset + count - 1; i >= offset; i -= 1) {
    const quotient = (n / 10) | 0;
    buffer[i] = 0x30 + n - quotient * 10;
    n = quotient;
  }
  return offset + count;
}
