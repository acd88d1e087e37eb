import { readingsPerTick } from './profiles.js';
import type { DeviceProfile, Tick } from './types.js';

/** The ticks of a replay: every multiple of the device's interval in [from, to), like a real meter's clock. */
export interface ReplayGrid {
  readonly first: number;
  readonly intervalMs: number;
  readonly count: number;
}

export function replayGrid(expectedIntervalS: number, from: number, to: number): ReplayGrid {
  const intervalMs = expectedIntervalS * 1000;
  const first = Math.ceil(from / intervalMs) * intervalMs;
  return { first, intervalMs, count: Math.max(0, Math.ceil((to - first) / intervalMs)) };
}

/** Tick `k` of a replay grid; its counts cover the interval that starts at the tick. */
export function replayTick(grid: ReplayGrid, k: number): Tick {
  const at = grid.first + k * grid.intervalMs;
  return { at, countFrom: at, countTo: at + grid.intervalMs };
}

/** Readings a replay of [from, to) publishes for a device, before faults. */
export function replayReadings(
  profile: DeviceProfile,
  expectedIntervalS: number,
  from: number,
  to: number,
): number {
  return replayGrid(expectedIntervalS, from, to).count * readingsPerTick(profile);
}

/**
 * Live ticks sit on multiples of the device's period (its interval divided by the speed), as a
 * counter's quarter hours do; the tick measured at `at` counts what happened since the previous one.
 */
export function liveTick(at: number, periodMs: number): Tick {
  return { at, countFrom: at - periodMs, countTo: at };
}

export function nextLiveTickAt(now: number, periodMs: number): number {
  return Math.floor(now / periodMs) * periodMs + periodMs;
}
