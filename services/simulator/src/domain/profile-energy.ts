import { CURVE_ORIGIN_MS, type CumulativeCurve, sharedCurve } from './cumulative-curve.js';
import { gaussian } from './hash.js';
import { HOUR_MS, type LocalFields, localClock } from './local-time.js';
import {
  atHour,
  type BuildingUse,
  electricityShape,
  heatingDemand,
  heatingShape,
  lightingSeason,
} from './shapes.js';

/** Rounds to a fixed number of decimals, so a value prints short and the ledger holds what was sent. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

const HALF_HOUR = HOUR_MS / 2;

/** Normalized electricity use of a building (hours at peak power), integrated from the origin. */
export function electricityCurve(use: BuildingUse, timeZone: string): CumulativeCurve {
  const clock = localClock(timeZone);
  return sharedCurve(`electricity:${use}:${timeZone}`, (hourStart) => {
    const f = clock.fields(hourStart + HALF_HOUR);
    return atHour(electricityShape(use, f.weekday), f.hour) * lightingSeason(f.dayOfYear);
  });
}

/** Normalized heating (hours at design load), following occupancy and degree-days. */
export function heatingCurve(use: BuildingUse, timeZone: string): CumulativeCurve {
  const clock = localClock(timeZone);
  return sharedCurve(`heating:${use}:${timeZone}`, (hourStart) => {
    const f = clock.fields(hourStart + HALF_HOUR);
    return atHour(heatingShape(use, f.weekday), f.hour) * heatingDemand(f.dayOfYear);
  });
}

/**
 * A meter index: its initial value plus what it counted, or, after a reset at `resetAt` (a meter
 * replaced, a register rolled over), only what it counted since. `counted` is non-decreasing.
 */
export function meterIndex(
  counted: (ts: number) => number,
  initial: number,
  at: number,
  resetAt: number | undefined,
  decimals: number,
): number {
  const value =
    resetAt !== undefined && at >= resetAt ? counted(at) - counted(resetAt) : initial + counted(at);
  return round(value, decimals);
}

/** Hours elapsed since the curve origin, for loads that run at a constant rate. */
export function hoursSinceOrigin(ts: number): number {
  return Math.max(0, (ts - CURVE_ORIGIN_MS) / HOUR_MS);
}

/** Active power, W, sampled at a local time: the load curve plus a few percent of measurement noise. */
export function activePowerW(
  use: BuildingUse,
  f: LocalFields,
  peakW: number,
  seed: number,
  second: number,
): number {
  const level = atHour(electricityShape(use, f.weekday), f.hour) * lightingSeason(f.dayOfYear);
  return Math.max(0, Math.round(peakW * level * (1 + 0.04 * gaussian(seed, second, 1))));
}
