/**
 * Consumption from a cumulative index (kWh, m³ meter register).
 *
 * The consumption of a window is the sum of the steps between consecutive readings taken in
 * timestamp order, where the chain starts at the last reading before the window when it is
 * known: every increase between two readings is then attributed to exactly one window, the
 * one holding the later reading, and the windows of a series add up without gaps. The fold
 * always runs in timestamp order, so arrival order never changes the result, down to the
 * floating-point rounding.
 *
 * A step down has three possible causes, told apart by how far the index fell:
 * - to at most `resetRatio` × the previous value: the counter restarted from zero (device
 *   reboot, firmware update, meter replaced by a new one). The step counts the new value,
 *   that is the consumption since zero, and is counted in `resets`.
 * - to more than that: jitter, a corrected index, or a replacement meter that did not start
 *   at zero. What was used in between is unknowable, so the step counts 0 and the chain goes
 *   on from the new value; it is counted in `rebases` so the series can be flagged.
 * A register that wraps around (99 999 -> 00 012) is a reset here and loses the part before
 * the wrap; supporting it needs the register's modulus, which the device registry does not
 * carry yet.
 */

import type { TimedValue } from './types.js';

export type ConsumptionOptions = {
  /**
   * A fall to at most this fraction of the previous index is a counter reset; a smaller fall
   * is a rebase. Default 0.5.
   */
  resetRatio?: number;
};

export const DEFAULT_RESET_RATIO = 0.5;

export type ConsumptionResult = {
  consumption: number;
  /** Steps read as a counter restarting from zero. */
  resets: number;
  /** Falls too small to be a reset, counted as zero consumption. */
  rebases: number;
};

export type StepKind = 'increase' | 'reset' | 'rebase';

/** Running state of the fold: a result plus the value the next step starts from. */
export type ConsumptionFold = ConsumptionResult & { previous: number | undefined };

/** The consumption one step from `previous` to `current` stands for. */
export function indexStep(
  previous: number,
  current: number,
  resetRatio: number = DEFAULT_RESET_RATIO,
): { delta: number; kind: StepKind } {
  if (current >= previous) return { delta: current - previous, kind: 'increase' };
  if (current <= previous * resetRatio) return { delta: Math.max(current, 0), kind: 'reset' };
  return { delta: 0, kind: 'rebase' };
}

/** An empty fold whose chain starts at `previous` (the last index before the window), if known. */
export function startConsumption(previous?: number): ConsumptionFold {
  return { consumption: 0, resets: 0, rebases: 0, previous };
}

/** Extends `fold` with the next index of the chain, in timestamp order. Mutates `fold`. */
export function foldIndex(
  fold: ConsumptionFold,
  value: number,
  resetRatio: number = DEFAULT_RESET_RATIO,
): void {
  if (fold.previous !== undefined) {
    const step = indexStep(fold.previous, value, resetRatio);
    fold.consumption += step.delta;
    if (step.kind === 'reset') fold.resets += 1;
    else if (step.kind === 'rebase') fold.rebases += 1;
  }
  fold.previous = value;
}

/**
 * Consumption of a window from its readings, in any order, and the last reading before it.
 * Readings sharing a timestamp must have been deduplicated by the caller.
 */
export function computeConsumption(
  readings: readonly TimedValue[],
  before?: TimedValue,
  options: ConsumptionOptions = {},
): ConsumptionResult {
  const resetRatio = options.resetRatio ?? DEFAULT_RESET_RATIO;
  const sorted = [...readings].sort((a, b) => a.ts - b.ts);
  const fold = startConsumption(before?.value);
  for (const reading of sorted) foldIndex(fold, reading.value, resetRatio);
  return { consumption: fold.consumption, resets: fold.resets, rebases: fold.rebases };
}
