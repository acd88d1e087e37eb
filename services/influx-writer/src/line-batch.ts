import type { PointLines } from './batch-writer.js';
import type { MeasurementKind } from './domain/line-protocol.js';

/** Lines joined into one flat string at a time: small enough to keep the join cheap to redo. */
const PIECE_LINES = 64;

/**
 * The lines of one batch, kept as a few flat strings rather than one string per line.
 *
 * Why: a batch lives until InfluxDB accepts it, long enough for the young-generation GC to copy
 * it once or twice, and each line is a tree of a dozen small strings (its parts). Copying those
 * trees was most of the writer's GC time; a piece of 64 lines joined is one object. The lengths
 * of the lines are kept, so a batch InfluxDB refuses can still be split and its lines logged.
 */
export class LineBatch implements PointLines {
  readonly kinds: MeasurementKind[] = [];
  readonly #lengths: number[] = [];
  /** Newline-separated lines; after body() of the whole batch, that body alone. */
  #pieces: string[] = [];
  #tail: string[] = [];

  get size(): number {
    return this.kinds.length;
  }

  add(line: string, kind: MeasurementKind): void {
    this.kinds.push(kind);
    this.#lengths.push(line.length);
    this.#tail.push(line);
    if (this.#tail.length === PIECE_LINES) this.#closePiece();
  }

  /** Lines [from, to) separated by newlines, as InfluxDB takes them. */
  body(from = 0, to: number = this.size): string {
    this.#closePiece();
    if (this.#pieces.length > 1) this.#pieces = [this.#pieces.join('\n')];
    const whole = this.#pieces[0] ?? '';
    if (from === 0 && to === this.size) return whole;
    let start = 0;
    for (let i = 0; i < from; i++) start += (this.#lengths[i] ?? 0) + 1;
    let end = start - 1;
    for (let i = from; i < to; i++) end += (this.#lengths[i] ?? 0) + 1;
    return to <= from ? '' : whole.slice(start, end);
  }

  line(index: number): string {
    return this.body(index, index + 1);
  }

  #closePiece(): void {
    if (this.#tail.length === 0) return;
    this.#pieces.push(this.#tail.join('\n'));
    this.#tail = [];
  }
}
