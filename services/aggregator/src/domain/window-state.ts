/**
 * The readings one window of one series has seen, and the statistics derived from them.
 *
 * Readings are kept sorted by timestamp, one per timestamp. A second reading at a timestamp
 * already held is a duplicate (MQTT redelivery, Kafka replay) and is ignored: the first one
 * wins, even when its value differs, and both cases are counted (`duplicates`, and
 * `conflicts` when the value differs). "First" is stable across replays because a device's
 * readings all live in one Kafka partition, in one order.
 *
 * Every statistic is a function of the set of readings: sums are folded in timestamp order
 * (floating-point addition is not associative, so folding in arrival order would make a
 * recomputed window differ in its last digits). The fold is kept incrementally while readings
 * arrive in order, the common case, and redone from the start after an out-of-order insert.
 */

import { type ConsumptionFold, type ConsumptionResult, foldIndex, startConsumption } from './consumption.js';
import type { TimedValue } from './types.js';

export type WindowStats = {
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  /** Value of the reading with the greatest timestamp. */
  last: number;
  lastTs: number;
};

export type AddOutcome = 'added' | 'duplicate';

/** Plain-JSON form of a window, for checkpoints. */
export type WindowSnapshot = {
  start: number;
  end: number;
  ts: number[];
  values: number[];
  duplicates: number;
  conflicts: number;
};

/**
 * The readings of every window until its first one: never written to, since `add` replaces it.
 * A window's first arrays are then made to measure, as literals: most windows of a meter keep
 * one reading, and an empty array grown by `push` reserves room for 17. That room was most of a
 * window's memory, which lives for the close grace at least and is copied by every scavenge
 * until it is promoted.
 */
const NO_READINGS: number[] = [];

export class WindowState {
  readonly start: number;
  readonly end: number;
  /**
   * Set by a store that coalesces emissions (`emit: 'coalesce'`): the window changed since its
   * aggregate was last drained. Not part of snapshots: a checkpoint is taken after a drain.
   */
  changed = false;
  /** Processing time of the latest reading added; a window closes only once it rests. */
  touchedAt = 0;
  #ts: number[] = NO_READINGS;
  #values: number[] = NO_READINGS;
  /** The last snapshot, while nothing changed since: a resting window is checkpointed without a copy. */
  #snapshot: WindowSnapshot | undefined;
  /** A snapshot given out holds `#ts` and `#values`: they are copied before they next change. */
  #shared = false;
  #duplicates = 0;
  #conflicts = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #sum = 0;
  /** How many of the sorted readings `#sum` has folded. */
  #summed = 0;
  /** Made by the first `consumption()`: a window of a series that is not an index never needs one. */
  #fold: ConsumptionFold | undefined;
  #folded = 0;
  #foldStart: TimedValue | undefined;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }

  get count(): number {
    return this.#ts.length;
  }

  /** Readings ignored because their timestamp was already held. */
  get duplicates(): number {
    return this.#duplicates;
  }

  /** Duplicates whose value differed from the one kept. */
  get conflicts(): number {
    return this.#conflicts;
  }

  /** The reading with the greatest timestamp, if any. */
  get last(): TimedValue | undefined {
    const index = this.#ts.length - 1;
    const ts = this.#ts[index];
    const value = this.#values[index];
    return ts === undefined || value === undefined ? undefined : { ts, value };
  }

  /** Timestamp of the latest reading, without building a TimedValue. */
  get lastTs(): number | undefined {
    return this.#ts[this.#ts.length - 1];
  }

  /** Adds a reading; the caller guarantees `start <= ts < end` and finite numbers. */
  add(ts: number, value: number): AddOutcome {
    const size = this.#ts.length;
    const lastTs = this.#ts[size - 1];
    if (lastTs === undefined) {
      this.#ts = [ts];
      this.#values = [value];
      this.#shared = false;
      this.#snapshot = undefined;
    } else if (ts > lastTs) {
      this.#own();
      this.#ts.push(ts);
      this.#values.push(value);
    } else {
      const index = lowerBound(this.#ts, ts);
      if (this.#ts[index] === ts) {
        this.#snapshot = undefined;
        this.#duplicates += 1;
        if (this.#values[index] !== value) this.#conflicts += 1;
        return 'duplicate';
      }
      this.#own();
      this.#ts.splice(index, 0, ts);
      this.#values.splice(index, 0, value);
      this.#summed = 0;
      this.#folded = 0;
    }
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    return 'added';
  }

  /** @throws Error on an empty window, which never exists in a store. */
  stats(): WindowStats {
    const count = this.#ts.length;
    const lastTs = this.#ts[count - 1];
    const last = this.#values[count - 1];
    if (lastTs === undefined || last === undefined) throw new Error('an empty window has no statistics');
    if (this.#summed === 0) this.#sum = 0;
    for (let i = this.#summed; i < count; i++) this.#sum += this.#values[i] ?? 0;
    this.#summed = count;
    return { count, sum: this.#sum, min: this.#min, max: this.#max, mean: this.#sum / count, last, lastTs };
  }

  /** Consumption of this window for a chain starting at `before`, the last reading before it. */
  consumption(before: TimedValue | undefined, resetRatio: number): ConsumptionResult {
    if (!sameReading(before, this.#foldStart)) {
      this.#foldStart = before === undefined ? undefined : { ts: before.ts, value: before.value };
      this.#folded = 0;
    }
    let fold = this.#fold;
    if (this.#folded === 0 || fold === undefined) {
      fold = startConsumption(before?.value);
      this.#fold = fold;
    }
    const count = this.#values.length;
    for (let i = this.#folded; i < count; i++) foldIndex(fold, this.#values[i] ?? 0, resetRatio);
    this.#folded = count;
    return { consumption: fold.consumption, resets: fold.resets, rebases: fold.rebases };
  }

  /** The readings, in timestamp order. */
  readings(): TimedValue[] {
    return this.#ts.map((ts, i) => ({ ts, value: this.#values[i] ?? 0 }));
  }

  /**
   * The window as it is now. The snapshot shares the window's arrays (the window copies them
   * before its next change) and is the same object until then: a checkpoint every few seconds
   * copied every open window's readings, though most of them had not changed since the last one.
   * Callers must not modify it.
   */
  toSnapshot(): WindowSnapshot {
    if (this.#snapshot === undefined) {
      this.#snapshot = {
        start: this.start,
        end: this.end,
        ts: this.#ts,
        values: this.#values,
        duplicates: this.#duplicates,
        conflicts: this.#conflicts,
      };
      this.#shared = true;
    }
    return this.#snapshot;
  }

  /** Before the readings change: the arrays become the window's own again, and the snapshot stale. */
  #own(): void {
    if (this.#shared) {
      this.#ts = this.#ts.slice();
      this.#values = this.#values.slice();
      this.#shared = false;
    }
    this.#snapshot = undefined;
  }

  /** @throws RangeError when the snapshot is not one `toSnapshot()` could have written. */
  static fromSnapshot(snapshot: WindowSnapshot): WindowState {
    const { start, end, ts, values } = snapshot;
    if (ts.length !== values.length || ts.length === 0) throw new RangeError('window snapshot is malformed');
    const window = new WindowState(start, end);
    ts.forEach((t, i) => {
      const value = values[i] ?? Number.NaN;
      if (!(t >= start && t < end) || !Number.isFinite(value) || window.add(t, value) === 'duplicate') {
        throw new RangeError(`window snapshot holds a misplaced or repeated reading at ${t}`);
      }
    });
    window.#duplicates = snapshot.duplicates;
    window.#conflicts = snapshot.conflicts;
    return window;
  }
}

function sameReading(a: TimedValue | undefined, b: TimedValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ts === b.ts && a.value === b.value;
}

/** Index of the first element of ascending `sorted` that is `>= target`. */
function lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
