import type { VehicleClass } from '@terrapulse/contracts';
import { gaussian } from './hash.js';
import { DAY_MS, HOUR_MS, type LocalFields } from './local-time.js';
import { round } from './profile-energy.js';
import {
  atHour,
  bikeSeason,
  bikeShape,
  type CarParkUse,
  parkingShape,
  pedestrianShape,
  trafficShape,
} from './shapes.js';

/** Share of each class in the traffic of a working day; lorries mostly stay home at weekends. */
const CLASS_SHARE: Readonly<Record<VehicleClass, number>> = {
  car: 0.78,
  van: 0.12,
  truck: 0.04,
  bus: 0.015,
  motorcycle: 0.045,
};
export const VEHICLE_CLASSES = Object.keys(CLASS_SHARE) as VehicleClass[];
const WEEKEND_FACTOR: Readonly<Record<VehicleClass, number>> = {
  car: 1,
  van: 0.6,
  truck: 0.25,
  bus: 0.5,
  motorcycle: 1.3,
};

/**
 * A count of events whose expected number is `expected`: roughly Poisson (sd = sqrt of the mean),
 * always a whole number and never negative.
 */
export function noisyCount(expected: number, seed: number, second: number, salt: number): number {
  if (expected <= 0) return 0;
  return Math.max(0, Math.round(expected + Math.sqrt(expected) * gaussian(seed, second, salt)));
}

/** Vehicles of one class expected in an interval of `hours` around local time `f`. */
export function expectedVehicles(
  f: LocalFields,
  vehicleClass: VehicleClass,
  peakPerHour: number,
  hours: number,
): number {
  const weekend = f.weekday >= 5 ? WEEKEND_FACTOR[vehicleClass] : 1;
  return peakPerHour * atHour(trafficShape(f.weekday), f.hour) * CLASS_SHARE[vehicleClass] * weekend * hours;
}

/** Average speed, km/h: free flow at night, slowed down by congestion at rush hours. */
export function averageSpeedKmh(f: LocalFields, freeFlowKmh: number, seed: number, second: number): number {
  const load = atHour(trafficShape(f.weekday), f.hour);
  const speed = freeFlowKmh * (1 - 0.45 * load * load) + 2.5 * gaussian(seed, second, 4);
  return round(Math.max(3, speed), 1);
}

/** A day of bad weather halves cycling and walking; it is the same for every counter of a tenant. */
function weatherFactor(weatherSeed: number, ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  return 1 + 0.25 * gaussian(weatherSeed, day, 5);
}

export function expectedBikes(
  f: LocalFields,
  peakPerHour: number,
  weatherSeed: number,
  ts: number,
  hours: number,
) {
  const level = atHour(bikeShape(f.weekday), f.hour) * bikeSeason(f.dayOfYear);
  return Math.max(0, peakPerHour * level * weatherFactor(weatherSeed, ts) * hours);
}

export function expectedPedestrians(
  f: LocalFields,
  peakPerHour: number,
  weatherSeed: number,
  ts: number,
  hours: number,
): number {
  const level = atHour(pedestrianShape(f.weekday), f.hour);
  return Math.max(0, peakPerHour * level * (0.5 + 0.5 * weatherFactor(weatherSeed, ts)) * hours);
}

/** Occupied spaces: a whole number between 0 and the capacity, whatever the noise. */
export function parkingOccupied(
  f: LocalFields,
  use: CarParkUse,
  capacity: number,
  seed: number,
  second: number,
): number {
  const level = atHour(parkingShape(use, f.weekday), f.hour) + 0.03 * gaussian(seed, second, 6);
  return Math.min(capacity, Math.max(0, Math.round(capacity * level)));
}

export const hoursBetween = (from: number, to: number): number => Math.max(0, to - from) / HOUR_MS;
