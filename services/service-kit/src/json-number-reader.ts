/**
 * JSON numbers read straight from bytes, as `JSON.parse` reads them, for the services' hot
 * decoders (the validator's envelopes, the aggregator's readings): a number is read where it
 * stands, without the string that `JSON.parse` or `Number()` would need. The reader keeps where
 * the last number ended in `end`, so a read returns the number alone and allocates nothing.
 *
 * A read only looks at the number's own bytes: the caller checks what follows it.
 */
export class JsonNumberReader {
  /** Offset just after the last number read; a read that fails leaves it as it was. */
  end = 0;

  /**
   * A JSON integer >= 0 at `at`: 1 to 15 digits (exact in a double), without sign or leading
   * zero. Undefined when the bytes there are anything else; a fraction or an exponent after the
   * digits is left to the caller, which finds it where it expects its next byte.
   */
  integer(bytes: Uint8Array, at: number): number | undefined {
    const start = at;
    let n = 0;
    for (let c = bytes[at] ?? 0; c >= ZERO && c <= NINE; c = bytes[++at] ?? 0) n = n * 10 + (c - ZERO);
    const digits = at - start;
    if (digits === 0 || digits > MAX_EXACT_DIGITS || (digits > 1 && bytes[start] === ZERO)) return undefined;
    this.end = at;
    return n;
  }

  /**
   * A finite JSON number at `at` (RFC 8259 grammar), the double `JSON.parse` gives for it;
   * undefined when the bytes there are not one, or name a number too large for a double.
   *
   * Digits are read as they are checked: with at most 15 significant digits and a power of ten
   * within 22, the decimal is one product or quotient of two exact doubles, which IEEE rounds
   * correctly, so it is the double `JSON.parse` gives (Clinger's fast path). Other numbers go
   * through `Number()` of their text.
   */
  number(bytes: Uint8Array, at: number): number | undefined {
    const start = at;
    const negative = bytes[at] === MINUS;
    if (negative) at++;
    const intStart = at;
    let mantissa = 0;
    for (let c = bytes[at] ?? 0; c >= ZERO && c <= NINE; c = bytes[++at] ?? 0)
      mantissa = mantissa * 10 + (c - ZERO);
    const intDigits = at - intStart;
    if (intDigits === 0 || (intDigits > 1 && bytes[intStart] === ZERO)) return undefined;
    let fractionDigits = 0;
    if (bytes[at] === DOT) {
      const fraction = ++at;
      for (let c = bytes[at] ?? 0; c >= ZERO && c <= NINE; c = bytes[++at] ?? 0)
        mantissa = mantissa * 10 + (c - ZERO);
      fractionDigits = at - fraction;
      if (fractionDigits === 0) return undefined;
    }
    let exponent = 0;
    let exponentDigits = 0;
    const e = bytes[at];
    if (e === LOWER_E || e === UPPER_E) {
      at++;
      const sign = bytes[at];
      if (sign === PLUS || sign === MINUS) at++;
      const digitsStart = at;
      for (let c = bytes[at] ?? 0; c >= ZERO && c <= NINE; c = bytes[++at] ?? 0)
        exponent = exponent * 10 + (c - ZERO);
      exponentDigits = at - digitsStart;
      if (exponentDigits === 0) return undefined;
      if (sign === MINUS) exponent = -exponent;
    }
    const power = exponent - fractionDigits;
    let value: number;
    if (
      intDigits + fractionDigits <= MAX_EXACT_DIGITS &&
      exponentDigits <= 3 &&
      power >= -22 &&
      power <= 22
    ) {
      const magnitude =
        power < 0 ? mantissa / (POW10[-power] as number) : mantissa * (POW10[power] as number);
      value = negative ? -magnitude : magnitude;
    } else {
      value = Number(asciiText(bytes, start, at));
    }
    if (!Number.isFinite(value)) return undefined;
    this.end = at;
    return value;
  }
}

/** Up to 15 decimal digits, an integer of them is exact (below 2 ** 53). */
const MAX_EXACT_DIGITS = 15;
/** 1e0 to 1e22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** The text of bytes known to be ASCII (a number's, checked above): the slow path only. */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
