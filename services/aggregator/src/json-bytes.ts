/**
 * JSON written straight into a byte buffer, byte for byte what `JSON.stringify` writes, for the
 * aggregator's outputs (aggregates, checkpoints). Building the text as a JS string first costs a
 * string per value, the concatenations, then a UTF-8 copy of the whole (`Buffer.from`): most of an
 * output's allocations, so most of the garbage collector's work per reading.
 *
 * Numbers are the bulk. Integers and short decimals (up to 15 significant digits: timestamps,
 * meter indexes, sums of them) are formatted here without a string; any other number goes through
 * `String(value)`, which is what JSON.stringify writes for a finite number.
 */

/** 10^0 to 10^15, exact in a double. */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/**
 * Limit of the decimal fast path's digits: with at most 15 significant digits, two decimals that
 * name the same double cannot exist, so the shortest one is the one found (see `#decimal`).
 */
const MAX_DIGITS_VALUE = 1e15;
/** Below it, JS writes a number in exponent notation (`1e-7`): left to `String()`. */
const MIN_FIXED = 1e-6;
const TWO_POW_31 = 2 ** 31;
const BILLION = 1e9;
/** "00" to "99": two digits per division. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)));

export class JsonBytes {
  buffer: Buffer;
  /** Bytes written so far: the JSON is `buffer.subarray(0, at)`. */
  at = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Starts over, keeping the buffer. Views taken from it before are overwritten from now on. */
  reset(): void {
    this.at = 0;
  }

  /**
   * Makes room for `bytes` more. A larger buffer replaces the current one, so views taken from
   * the old one stay valid: nothing writes to it any more.
   */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  /** Text known to be ASCII (a literal of the writer's own), as it is. */
  ascii(text: string): void {
    this.reserve(text.length);
    const { buffer } = this;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** Any text as it is, in UTF-8. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  /** Bytes as they are. */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** `JSON.stringify(text)`: printable ASCII without quote or backslash is copied as it is. */
  string(text: string): void {
    this.reserve(text.length + 2);
    const { buffer } = this;
    const start = this.at;
    let at = start;
    buffer[at++] = 0x22; /* " */
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.at = start;
        this.text(JSON.stringify(text));
        return;
      }
      buffer[at++] = c;
    }
    buffer[at++] = 0x22;
    this.at = at;
  }

  /** `JSON.stringify(value)` for a number: `null` when not finite. */
  number(value: number): void {
    // Most numbers of a checkpoint (gaps between timestamps, counts, small values) are int32.
    const int = value | 0;
    if (int === value) {
      this.#int32(int);
      return;
    }
    if (Number.isInteger(value)) {
      if (value <= Number.MAX_SAFE_INTEGER && value >= -Number.MAX_SAFE_INTEGER) {
        this.#integer(value);
        return;
      }
    } else if (this.#decimal(value)) return;
    this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /**
   * `JSON.stringify(value)` for plain data (objects, arrays, strings, numbers, booleans, null);
   * anything else (a `toJSON`, a class instance, a bigint) is left to JSON.stringify itself.
   */
  json(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.number(value);
        return;
      case 'string':
        this.string(value);
        return;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return;
      case 'object':
        if (value === null) this.ascii('null');
        else if (Array.isArray(value)) this.array(value);
        else if (isPlainObject(value)) this.object(value as Record<string, unknown>);
        else this.text(JSON.stringify(value));
        return;
      default:
        this.text(String(JSON.stringify(value)));
    }
  }

  /** An array of plain data; what JSON leaves out (undefined, functions) is `null` in it. */
  array(values: readonly unknown[]): void {
    this.ascii('[');
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.ascii(',');
      const value = values[i];
      if (isOmitted(value)) this.ascii('null');
      else this.json(value);
    }
    this.ascii(']');
  }

  /**
   * An object of plain data, its own keys in order, members JSON leaves out skipped. `special`
   * writes the value of the key `specialKey` instead (a member written in another form).
   */
  object(
    value: Readonly<Record<string, unknown>>,
    specialKey?: string,
    special?: (out: JsonBytes, value: unknown) => void,
  ): void {
    this.ascii('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      const write = key === specialKey ? special : undefined;
      if (write === undefined && isOmitted(member)) continue;
      if (!first) this.ascii(',');
      first = false;
      this.string(key);
      this.ascii(':');
      if (write !== undefined) write(this, member);
      else this.json(member);
    }
    this.ascii('}');
  }

  /** A safe integer; -0 is written `0`, as JSON.stringify does. */
  #integer(value: number): void {
    this.reserve(17);
    let n = value;
    if (n < 0) {
      this.buffer[this.at++] = 0x2d; /* - */
      n = -n;
    }
    if (n < TWO_POW_31) {
      this.#uint31(n);
      return;
    }
    // Two int32 halves: int arithmetic instead of a double's division and modulo per digit.
    const high = Math.floor(n / BILLION);
    this.#uint31(high);
    this.#padded(n - high * BILLION, 9);
  }

  /**
   * A finite non-integer with at most 15 significant digits and no exponent, written as
   * `Number.prototype.toString` does; false (nothing written) for any other number.
   *
   * The fewest fraction digits `f` for which `round(|value| * 10^f) / 10^f === |value|` give the
   * shortest decimal that reads back as the value: the division is correctly rounded, as is
   * reading the decimal, so both give the same double. Below 10^15 a step of 10^-f is more than
   * two doubles apart, so no other decimal of `f` digits reads back as it: toString's choice.
   */
  #decimal(value: number): boolean {
    const magnitude = value < 0 ? -value : value;
    if (!(magnitude >= MIN_FIXED && magnitude < MAX_DIGITS_VALUE)) return false;
    for (let f = 1; f < POW10.length; f++) {
      const scale = POW10[f] as number;
      const scaled = Math.round(magnitude * scale);
      if (scaled >= MAX_DIGITS_VALUE) return false;
      if (scaled / scale !== magnitude) continue;
      this.reserve(20);
      if (value < 0) this.buffer[this.at++] = 0x2d; /* - */
      const whole = Math.floor(scaled / scale);
      this.#integer(whole);
      this.buffer[this.at++] = 0x2e; /* . */
      this.#padded(scaled - whole * scale, f);
      return true;
    }
    return false;
  }

  /** An int32 (-0 is written `0`). */
  #int32(value: number): void {
    if (this.at + 11 > this.buffer.length) this.reserve(11);
    let n = value;
    if (n < 0) {
      this.buffer[this.at++] = 0x2d; /* - */
      n = -n;
    }
    this.#uint31(n);
  }

  /** `n` in [0, 2^31], without leading zeros; room for it is reserved. */
  #uint31(n: number): void {
    const digits =
      n < 1e5
        ? n < 100
          ? n < 10
            ? 1
            : 2
          : n < 1e3
            ? 3
            : n < 1e4
              ? 4
              : 5
        : n < 1e7
          ? n < 1e6
            ? 6
            : 7
          : n < 1e8
            ? 8
            : n < 1e9
              ? 9
              : 10;
    this.#padded(n, digits);
  }

  /** `n` (an integer below 10^15) in exactly `digits` digits, zeros in front; room is reserved. */
  #padded(n: number, digits: number): void {
    if (n >= TWO_POW_31) {
      const high = Math.floor(n / BILLION);
      this.#padded(high, digits - 9);
      this.#padded(n - high * BILLION, 9);
      return;
    }
    const { buffer } = this;
    const start = this.at;
    let i = start + digits;
    this.at = i;
    let rest = n;
    while (i - start >= 2) {
      const quotient = (rest / 100) | 0;
      const pair = (rest - quotient * 100) << 1;
      buffer[--i] = PAIRS[pair + 1] as number;
      buffer[--i] = PAIRS[pair] as number;
      rest = quotient;
    }
    if (i > start) buffer[--i] = 0x30 + rest;
  }
}

/** What JSON.stringify leaves out of an object (and writes as `null` in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value);
}
