import type { PointLines } from './batch-writer.js';
import type { MeasurementKind } from './domain/line-protocol.js';
import type { LineWriter } from './domain/line-writer.js';

/** Bytes of a batch's first buffer; it doubles as lines come (a full batch is well under 1 MB). */
const INITIAL_BYTES = 64 * 1024;
const NEWLINE = 10;

/**
 * Buffers of released batches, for the next ones. Why: a buffer of this size lives outside the
 * V8 heap, and allocating one per batch made V8 run a full mark-compact every few batches (it
 * collects when memory outside the heap grows) and fault fresh pages in; a few reused buffers
 * do neither. Released buffers are the grown ones, so the next batches need not grow.
 */
const spares: Buffer[] = [];
const MAX_SPARES = 8;
const RELEASED = Buffer.alloc(0);

/**
 * The lines of one batch, written as UTF-8 into one buffer as they come, newline-separated.
 *
 * Why: a batch lives until InfluxDB accepts it, long enough for the young-generation GC to copy
 * it once or twice. Kept as strings, each line is a tree of a dozen small strings, joined once
 * more into the body, which the HTTP client encodes once more to UTF-8. Written to bytes at
 * once, a line leaves nothing for the GC to copy, and the body is a view of the buffer. The end
 * of every line is kept, so a batch InfluxDB refuses can still be split and its lines logged.
 */
export class LineBatch implements PointLines, LineWriter {
  readonly kinds: MeasurementKind[] = [];
  /** Byte offset past each line (its newline excluded). */
  readonly #ends: number[] = [];
  #bytes = spares.pop() ?? Buffer.allocUnsafe(INITIAL_BYTES);
  /** Bytes written, the newline after the last line included. */
  #used = 0;

  get size(): number {
    return this.kinds.length;
  }

  add(line: string, kind: MeasurementKind): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const bytes = this.room(line.length * 3);
    this.commit(this.#used + bytes.write(line, this.#used), kind);
  }

  room(maxBytes: number): Buffer {
    const needed = this.#used + maxBytes + 1; // and the newline
    if (needed > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      while (size < needed) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.#bytes.copy(grown, 0, 0, this.#used);
      this.#bytes = grown;
    }
    return this.#bytes;
  }

  get start(): number {
    return this.#used;
  }

  commit(end: number, kind: MeasurementKind): void {
    this.#bytes[end] = NEWLINE;
    this.#used = end + 1;
    this.kinds.push(kind);
    this.#ends.push(end);
  }

  /**
   * Lines [from, to) separated by newlines, as InfluxDB takes them: a view of the batch's bytes,
   * which later lines do not change (a grown buffer is a copy; the old one stays as it was).
   */
  body(from = 0, to: number = this.size): Buffer {
    if (to <= from) return this.#bytes.subarray(0, 0);
    const start = from === 0 ? 0 : (this.#ends[from - 1] ?? 0) + 1;
    return this.#bytes.subarray(start, this.#ends[to - 1]);
  }

  line(index: number): string {
    return this.body(index, index + 1).toString();
  }

  /**
   * Hands the buffer over to a later batch, once nothing reads this batch's bodies any more (its
   * write settled): the batch must not be used after.
   */
  release(): void {
    if (this.#bytes !== RELEASED && spares.length < MAX_SPARES) spares.push(this.#bytes);
    this.#bytes = RELEASED;
    this.#used = 0;
  }
}
