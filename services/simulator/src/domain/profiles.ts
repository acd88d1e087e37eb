import type { LocalFields } from './local-time.js';
import { localClock } from './local-time.js';
import {
  activePowerW,
  electricityCurve,
  heatingCurve,
  hoursSinceOrigin,
  meterIndex,
} from './profile-energy.js';
import {
  averageSpeedKmh,
  expectedBikes,
  expectedPedestrians,
  expectedVehicles,
  hoursBetween,
  noisyCount,
  parkingOccupied,
  VEHICLE_CLASSES,
} from './profile-mobility.js';
import { demandCurve, leakAlarm, leakedM3, pressureBar, waterFlowM3h } from './profile-water.js';
import type { DeviceProfile, SimDevice, SimReading, Tick } from './types.js';

/**
 * The values a device reports for one tick. A pure function of (device, tick, reset time): the same
 * inputs give the same readings, which is what lets a test recompute a replayed dataset.
 * `resetAt` restarts the device's indexes from 0 at that instant (a meter reset fault).
 */
export type ReadingGenerator = (tick: Tick, resetAt?: number) => SimReading[];

/** Readings per tick of each profile: what a replay of a period publishes, device by device. */
export function readingsPerTick(profile: DeviceProfile): number {
  switch (profile.type) {
    case 'electricity':
    case 'water_meter':
    case 'parking':
      return 2;
    case 'traffic':
      return VEHICLE_CLASSES.length + 1;
    default:
      return 1;
  }
}

/** True when the device reports a cumulative index, the only kind a meter reset applies to. */
export function hasIndex(profile: DeviceProfile): boolean {
  return ['electricity', 'gas', 'heat', 'water_meter'].includes(profile.type);
}

const seconds = (ts: number): number => Math.floor(ts / 1000);

export function createReadingGenerator(device: SimDevice): ReadingGenerator {
  const clock = localClock(device.timezone);
  const seed = device.noiseSeed;
  const p = device.profile;
  switch (p.type) {
    case 'electricity': {
      const curve = electricityCurve(p.use, device.timezone);
      const counted = (ts: number) => (p.peakW / 1000) * curve.at(ts);
      return ({ at }, resetAt) => [
        {
          metric: 'energy.active_energy_index',
          ts: at,
          value: meterIndex(counted, p.initialKwh, at, resetAt, 3),
        },
        {
          metric: 'energy.active_power',
          ts: at,
          value: activePowerW(p.use, clock.fields(at), p.peakW, seed, seconds(at)),
        },
      ];
    }
    case 'gas': {
      const curve = heatingCurve(p.use, device.timezone);
      const counted = (ts: number) => p.designM3h * curve.at(ts) + p.baseM3h * hoursSinceOrigin(ts);
      return ({ at }, resetAt) => [
        {
          metric: 'energy.gas_volume_index',
          ts: at,
          value: meterIndex(counted, p.initialM3, at, resetAt, 3),
        },
      ];
    }
    case 'heat': {
      const curve = heatingCurve(p.use, device.timezone);
      const counted = (ts: number) => p.designKw * curve.at(ts);
      return ({ at }, resetAt) => [
        {
          metric: 'energy.heat_energy_index',
          ts: at,
          value: meterIndex(counted, p.initialKwh, at, resetAt, 3),
        },
      ];
    }
    case 'water_meter': {
      const curve = demandCurve(device.timezone);
      const counted = (ts: number) =>
        p.meanFlowM3h * curve.at(ts) + p.leakageM3h * hoursSinceOrigin(ts) + leakedM3(p.leak, ts);
      return ({ at }, resetAt) => [
        { metric: 'water.volume_index', ts: at, value: meterIndex(counted, p.initialM3, at, resetAt, 3) },
        {
          metric: 'water.flow',
          ts: at,
          value: waterFlowM3h(clock.fields(at), p.meanFlowM3h, p.leakageM3h, p.leak, at, seed, seconds(at)),
        },
      ];
    }
    case 'water_flow':
      return ({ at }) => [
        {
          metric: 'water.flow',
          ts: at,
          value: waterFlowM3h(clock.fields(at), p.meanFlowM3h, p.leakageM3h, p.leak, at, seed, seconds(at)),
        },
      ];
    case 'pressure':
      return ({ at }) => [
        {
          metric: 'water.pressure',
          ts: at,
          value: pressureBar(clock.fields(at), p.staticBar, p.dipBar, p.leak, at, seed, seconds(at)),
        },
      ];
    case 'leak':
      return ({ at }) => [{ metric: 'water.leak_alarm', ts: at, value: leakAlarm(p.leak, at) }];
    case 'traffic':
      return ({ at, countFrom, countTo }) => {
        const mid = midFields(clock.fields.bind(clock), countFrom, countTo);
        const hours = hoursBetween(countFrom, countTo);
        const readings: SimReading[] = VEHICLE_CLASSES.map((vehicleClass, i) => ({
          metric: 'mobility.vehicle_count',
          ts: countFrom,
          vehicleClass,
          value: noisyCount(
            expectedVehicles(mid, vehicleClass, p.peakVehiclesPerHour, hours),
            seed,
            seconds(countFrom),
            10 + i,
          ),
        }));
        readings.push({
          metric: 'mobility.average_speed',
          ts: at,
          value: averageSpeedKmh(clock.fields(at), p.freeFlowKmh, seed, seconds(at)),
        });
        return readings;
      };
    case 'bike':
      return ({ countFrom, countTo }) => {
        const mid = midFields(clock.fields.bind(clock), countFrom, countTo);
        const expected = expectedBikes(
          mid,
          p.peakPerHour,
          p.weatherSeed,
          countFrom,
          hoursBetween(countFrom, countTo),
        );
        return [
          {
            metric: 'mobility.bike_count',
            ts: countFrom,
            value: noisyCount(expected, seed, seconds(countFrom), 20),
          },
        ];
      };
    case 'pedestrian':
      return ({ countFrom, countTo }) => {
        const mid = midFields(clock.fields.bind(clock), countFrom, countTo);
        const hours = hoursBetween(countFrom, countTo);
        const expected = expectedPedestrians(mid, p.peakPerHour, p.weatherSeed, countFrom, hours);
        return [
          {
            metric: 'mobility.pedestrian_count',
            ts: countFrom,
            value: noisyCount(expected, seed, seconds(countFrom), 21),
          },
        ];
      };
    case 'parking':
      return ({ at }) => [
        {
          metric: 'mobility.parking_occupied',
          ts: at,
          value: parkingOccupied(clock.fields(at), p.use, p.capacity, seed, seconds(at)),
        },
        { metric: 'mobility.parking_capacity', ts: at, value: p.capacity },
      ];
  }
}

/** Local time in the middle of a counting interval, where its expected rate is read. */
function midFields(fields: (ts: number) => LocalFields, from: number, to: number): LocalFields {
  return fields(from + (to - from) / 2);
}

const generators = new WeakMap<SimDevice, ReadingGenerator>();

/** Convenience for tests and one-off calls: the readings of `device` for `tick`. */
export function readingsAt(device: SimDevice, tick: Tick, resetAt?: number): SimReading[] {
  let generate = generators.get(device);
  if (generate === undefined) {
    generate = createReadingGenerator(device);
    generators.set(device, generate);
  }
  return generate(tick, resetAt);
}
