/**
 * JSON number texts for compact-line.ts, read in the record's UTF-8 bytes: where a number ends,
 * and whether its text is already the one String() writes for its value. The shape of the last
 * number scanned is kept here between the calls (the scan is synchronous), so scanning allocates
 * nothing. A read past the end gives -1, which no test below accepts.
 */

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
const PLUS = 43;

// The shape of the last number scanned by numberEnd.
let negative = false;
let intDigits = 0;
let fracDigits = 0;
let fracLeadingZeros = 0;
let exponent = false;
let endsWithZero = false;

/** Index past a JSON number starting at `i` (its shape noted above), or -1 if it is not one. */
export function numberEnd(bytes: Uint8Array, at: number): number {
  let i = at;
  let c = bytes[i] ?? -1;
  negative = c === MINUS;
  if (negative) c = bytes[++i] ?? -1;
  const intStart = i;
  if (c === ZERO) c = bytes[++i] ?? -1;
  else if (c > ZERO && c <= NINE) {
    do c = bytes[++i] ?? -1;
    while (c >= ZERO && c <= NINE);
  } else return -1;
  intDigits = i - intStart;
  fracDigits = 0;
  fracLeadingZeros = 0;
  exponent = false;
  endsWithZero = false;
  if (c === DOT) {
    const fracStart = ++i;
    c = bytes[i] ?? -1;
    while (c === ZERO) c = bytes[++i] ?? -1;
    fracLeadingZeros = i - fracStart;
    while (c >= ZERO && c <= NINE) c = bytes[++i] ?? -1;
    fracDigits = i - fracStart;
    if (fracDigits === 0) return -1;
    endsWithZero = bytes[i - 1] === ZERO;
  }
  if (c === LOWER_E || c === UPPER_E) {
    exponent = true;
    c = bytes[++i] ?? -1;
    if (c === PLUS || c === MINUS) c = bytes[++i] ?? -1;
    if (c < ZERO || c > NINE) return -1;
    do c = bytes[++i] ?? -1;
    while (c >= ZERO && c <= NINE);
  }
  return i;
}

/**
 * The last number's text is what String() gives for its value: plain decimal notation, no
 * exponent, no trailing fraction zero, not `-0`, at most 15 significant digits, and within the
 * range String() writes without exponent (from 1e-6 up).
 */
export function plainFloat(bytes: Uint8Array, at: number): boolean {
  if (exponent || endsWithZero) return false;
  const zeroInt = intDigits === 1 && bytes[negative ? at + 1 : at] === ZERO;
  if (!zeroInt) return intDigits + fracDigits <= 15;
  if (fracDigits === 0) return !negative;
  return fracLeadingZeros <= 5 && fracDigits - fracLeadingZeros <= 15;
}

/** The last number is a whole number at or above 0 written as its digits, at most 15 of them. */
export function plainWhole(): boolean {
  return !negative && !exponent && fracDigits === 0 && intDigits <= 15;
}
