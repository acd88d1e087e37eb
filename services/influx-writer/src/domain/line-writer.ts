import type { MeasurementKind } from './line-protocol.js';

/**
 * Where encoded lines go: whole lines as strings, or a line written byte by byte in place.
 *
 * Why the second way: the compact path (compact-line.ts) copies the parts of a line (measurement
 * name, cached tag set, number texts) straight into the batch's buffer, without building the line
 * as a string first, which the batch would only encode to UTF-8 again.
 */
export interface LineWriter {
  /** Appends a whole line. */
  add(line: string, kind: MeasurementKind): void;
  /**
   * The buffer to write the next line into, from `start`, with room for `maxBytes` bytes at
   * least; the line counts only once `commit` is called (an abandoned line leaves no trace).
   */
  room(maxBytes: number): Buffer;
  /** Where the next line starts in the buffer `room` returned. */
  readonly start: number;
  /** Ends the line written from `start` at `end` (exclusive). */
  commit(end: number, kind: MeasurementKind): void;
}

/** A LineWriter that keeps only the last line, as a string: encoding one record at a time. */
export class OneLine implements LineWriter {
  readonly start = 0;
  line = '';
  measurement: MeasurementKind = 'reading';
  #bytes = Buffer.alloc(1024);

  add(line: string, kind: MeasurementKind): void {
    this.line = line;
    this.measurement = kind;
  }

  room(maxBytes: number): Buffer {
    if (maxBytes + 1 > this.#bytes.length) this.#bytes = Buffer.alloc(maxBytes + 1);
    return this.#bytes;
  }

  commit(end: number, kind: MeasurementKind): void {
    this.add(this.#bytes.toString('utf8', 0, end), kind);
  }
}
