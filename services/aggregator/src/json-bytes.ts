/**
 * JSON written straight into a byte buffer, byte for byte what `JSON.stringify` writes, for the
 * aggregator's aggregates. Building the text as a JS string first costs a
 * string per value, the concatenations, then a UTF-8 copy of the whole (`Buffer.from`): most of an
 * output's allocations, so most of the garbage collector's work per reading.
 *
 * Numbers are the bulk: service-kit's `writeJsonNumber` formats them without a string.
 */

import { MAX_JSON_NUMBER_BYTES, writeJsonNumber } from '@terrapulse/service-kit';

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

  /** One byte (an ASCII character code): a comma, a bracket. */
  byte(code: number): void {
    if (this.at === this.buffer.length) this.reserve(1);
    this.buffer[this.at++] = code;
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

  /**
   * `JSON.stringify(values)` when they are all numbers, the room for all of them made at once: the
   * bulk of a checkpoint. False, nothing written, at the first value that is not a number.
   */
  numbers(values: readonly unknown[]): boolean {
    this.reserve(2 + values.length * (MAX_JSON_NUMBER_BYTES + 1));
    const { buffer } = this;
    let at = this.at;
    buffer[at++] = 0x5b; /* [ */
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'number') return false;
      if (i > 0) buffer[at++] = 0x2c; /* , */
      at = writeJsonNumber(buffer, at, value);
    }
    buffer[at++] = 0x5d; /* ] */
    this.at = at;
    return true;
  }

  /** `JSON.stringify(value)` for a number: `null` when not finite. */
  number(value: number): void {
    if (this.at + MAX_JSON_NUMBER_BYTES > this.buffer.length) this.reserve(MAX_JSON_NUMBER_BYTES);
    this.at = writeJsonNumber(this.buffer, this.at, value);
  }
}
