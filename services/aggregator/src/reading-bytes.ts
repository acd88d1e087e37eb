import { JsonNumberReader } from '@terrapulse/service-kit';
import { DEVICE, DIMS, RECEIVED_AT, SOURCE_SEQ, TS, VALUE } from './reading-layout.js';

/**
 * Reads a record of a series validated before from its UTF-8 bytes: true when the record is that
 * series' text, its numbers and its dimensions text in the validator layout (reading-layout.ts),
 * with numbers the contract accepts, read as `JSON.parse` reads them. Why bytes: decoding every
 * record to a string only to compare it with a known series' text was most of the decoder's
 * allocations (one string of the whole record each) and a tenth of the aggregator's CPU;
 * comparing the bytes in place allocates nothing.
 *
 * A record it accepts is valid UTF-8, as the series and dimensions bytes are and every other byte
 * is ASCII, so its text is the same layout and `JSON.parse` would give the same reading. Records
 * it refuses (another layout, numbers out of bounds, invalid UTF-8) are left to `JSON.parse`.
 */
export class ReadingBytes {
  value = 0;
  ts = 0;
  receivedAt = 0;
  sourceSeq: number | undefined = undefined;
  #at = 0;
  readonly #reader = new JsonNumberReader();

  /**
   * True, with the numbers read, when `bytes` is `series`, the numbers, `dims` and an optional
   * `sourceSeq`, in the validator layout: `series` is the UTF-8 of the series text (deviceId to
   * unit, see `seriesText`), `dims` that of `JSON.stringify` of its dimensions. (A record whose
   * dimensions hold a `"sourceSeq"` key is accepted with the numbers JSON.parse gives too.)
   */
  splitAs(bytes: Buffer, series: Buffer, dims: Uint8Array): boolean {
    const valueAt = series.length;
    // The key after the series first: it tells most of a device's other series apart cheaply.
    // The series is then compared natively (memcmp): twice as fast as a loop over its 100+ bytes.
    if (!hasAt(bytes, valueAt, VALUE_BYTES) || series.compare(bytes, 0, valueAt, 0, valueAt) !== 0)
      return false;
    if (!this.#numbers(bytes, valueAt + VALUE_BYTES.length)) return false;
    const dimsAt = this.#at;
    const dimsEnd = dimsAt + dims.length;
    if (!hasAt(bytes, dimsAt, dims)) return false;
    const end = bytes.length - 1;
    if (bytes[end] !== CLOSE) return false;
    let sourceSeq: number | undefined;
    if (dimsEnd !== end) {
      this.#at = dimsEnd;
      if (!this.#expect(bytes, SOURCE_SEQ_BYTES)) return false;
      sourceSeq = this.#integer(bytes);
      if (sourceSeq === undefined || this.#at !== end) return false;
    }
    this.sourceSeq = sourceSeq;
    return true;
  }

  /**
   * Reads `V,"ts":T,"receivedAt":R,"dims":` from `at` into value, ts and receivedAt, and leaves
   * the cursor on the dims; false when the bytes differ.
   */
  #numbers(bytes: Buffer, at: number): boolean {
    this.#at = at;
    const value = this.#number(bytes);
    if (value === undefined || !this.#expect(bytes, TS_BYTES)) return false;
    const ts = this.#integer(bytes);
    if (ts === undefined || !this.#expect(bytes, RECEIVED_AT_BYTES)) return false;
    const receivedAt = this.#integer(bytes);
    if (receivedAt === undefined || !this.#expect(bytes, DIMS_BYTES)) return false;
    this.value = value;
    this.ts = ts;
    this.receivedAt = receivedAt;
    return true;
  }

  #expect(bytes: Buffer, literal: Uint8Array): boolean {
    if (!hasAt(bytes, this.#at, literal)) return false;
    this.#at += literal.length;
    return true;
  }

  /** A JSON integer >= 0 of at most 15 digits, without fraction or exponent (timestamps). */
  #integer(bytes: Buffer): number | undefined {
    const n = this.#reader.integer(bytes, this.#at);
    if (n !== undefined) this.#at = this.#reader.end;
    return n;
  }

  /** A finite JSON number, converted as JSON.parse does (the reading's value). */
  #number(bytes: Buffer): number | undefined {
    const value = this.#reader.number(bytes, this.#at);
    if (value !== undefined) this.#at = this.#reader.end;
    return value;
  }
}

/**
 * A hash of the device id of a record in the validator layout: of the bytes of its JSON string,
 * quotes included; -1 when the record does not start as the layout does. A known series is found
 * under it without a string; two devices may share a hash, as the whole series is compared anyway.
 */
export function deviceHash(bytes: Buffer): number {
  if (!hasAt(bytes, 0, DEVICE_BYTES) || bytes[DEVICE_BYTES.length] !== QUOTE) return -1;
  let hash = QUOTE;
  for (let at = DEVICE_BYTES.length + 1; at < bytes.length; at++) {
    const c = bytes[at] ?? 0;
    hash = (Math.imul(hash, 31) + c) | 0;
    if (c === QUOTE) return hash & SMALL;
    if (c === BACKSLASH) {
      // An escape: the next byte is escaped, even a quote.
      at++;
      hash = (Math.imul(hash, 31) + (bytes[at] ?? 0)) | 0;
    }
  }
  return -1;
}

/** Hashes are kept within V8's small integers, so the Map keys are not boxed. */
const SMALL = 0x3fffffff;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE = 0x7d;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const DEVICE_BYTES = ascii(DEVICE);
const VALUE_BYTES = ascii(VALUE);
const TS_BYTES = ascii(TS);
const RECEIVED_AT_BYTES = ascii(RECEIVED_AT);
const DIMS_BYTES = ascii(DIMS);
const SOURCE_SEQ_BYTES = ascii(SOURCE_SEQ);

/** True when `bytes` holds `literal` from `at` (false past its end). */
function hasAt(bytes: Buffer, at: number, literal: Uint8Array): boolean {
  if (at + literal.length > bytes.length) return false;
  for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal[i]) return false;
  return true;
}
