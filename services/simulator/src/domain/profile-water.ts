import { type CumulativeCurve, sharedCurve } from './cumulative-curve.js';
import { gaussian } from './hash.js';
import { HOUR_MS, type LocalFields, localClock } from './local-time.js';
import { round } from './profile-energy.js';
import { atHour, WATER_PEAK_MULTIPLE, waterDemandShape, waterSeason } from './shapes.js';
import type { Leak } from './types.js';

/** Normalized demand of a sector (hours at mean demand), integrated from the origin. */
export function demandCurve(timeZone: string): CumulativeCurve {
  const clock = localClock(timeZone);
  return sharedCurve(`water:${timeZone}`, (hourStart) =>
    demandMultiple(clock.fields(hourStart + HOUR_MS / 2)),
  );
}

/** Multiple of the mean demand at a local time (about 1 on average over a day). */
export function demandMultiple(f: LocalFields): number {
  return atHour(waterDemandShape(f.weekday), f.hour) * waterSeason(f.dayOfYear);
}

export function leakFlowM3h(leak: Leak | undefined, at: number): number {
  return leak !== undefined && at >= leak.startsAt ? leak.flowM3h : 0;
}

/** Volume lost by a leak from its start to `ts`, m3. */
export function leakedM3(leak: Leak | undefined, ts: number): number {
  return leak === undefined ? 0 : (Math.max(0, ts - leak.startsAt) / HOUR_MS) * leak.flowM3h;
}

/**
 * Flow, m3/h: demand that bottoms out around 3 a.m. (the night minimum flow), plus the network's
 * background leakage, plus a leak once it started. The night minimum is what leak detection reads.
 */
export function waterFlowM3h(
  f: LocalFields,
  meanFlowM3h: number,
  leakageM3h: number,
  leak: Leak | undefined,
  at: number,
  seed: number,
  second: number,
): number {
  const demand = meanFlowM3h * demandMultiple(f) * (1 + 0.05 * gaussian(seed, second, 2));
  return round(Math.max(0, demand) + leakageM3h + leakFlowM3h(leak, at), 3);
}

/** Pressure, bar: static head minus the head losses of peak demand; a leak costs a little more. */
export function pressureBar(
  f: LocalFields,
  staticBar: number,
  dipBar: number,
  leak: Leak | undefined,
  at: number,
  seed: number,
  second: number,
): number {
  const load = demandMultiple(f) / WATER_PEAK_MULTIPLE;
  const leakLoss = leakFlowM3h(leak, at) > 0 ? 0.15 : 0;
  const value = staticBar - dipBar * load * load - leakLoss + 0.03 * gaussian(seed, second, 3);
  return round(Math.max(0, value), 3);
}

export function leakAlarm(leak: Leak | undefined, at: number): number {
  return leakFlowM3h(leak, at) > 0 ? 1 : 0;
}
