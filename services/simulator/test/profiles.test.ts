import { checkPlausibility, getMetric } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { createReadingGenerator, readingsAt } from '../src/domain/profiles.js';
import { buildTerritory } from '../src/domain/territory.js';
import type { SimDevice, SimReading } from '../src/domain/types.js';
import { DAY, deviceOfKind, HOUR, paris, territory } from './fixtures.js';

const instant = (at: number, intervalMs = 15 * 60_000) => ({ at, countFrom: at, countTo: at + intervalMs });

function value(device: SimDevice, at: number, metric: string, intervalMs?: number): number {
  const readings = readingsAt(device, instant(at, intervalMs)).filter((r) => r.metric === metric);
  return readings.reduce((sum, r) => sum + r.value, 0);
}

const school = deviceOfKind(
  'electricity_meter',
  (d) => d.profile.type === 'electricity' && d.profile.use === 'school',
);
const schoolGas = deviceOfKind('gas_meter', (d) => d.profile.type === 'gas' && d.profile.use === 'school');

describe('electricity profiles', () => {
  it('should draw less power at night than during school hours', () => {
    const night = value(school, paris('2026-11-17', '03:00'), 'energy.active_power');
    const day = value(school, paris('2026-11-17', '10:00'), 'energy.active_power');
    expect(night).toBeGreaterThan(0);
    expect(night).toBeLessThan(day * 0.3);
  });

  it('should use less energy on a Saturday than on a weekday for a school', () => {
    const dayUse = (date: string) =>
      value(school, paris(date, '00:00') + DAY, 'energy.active_energy_index') -
      value(school, paris(date, '00:00'), 'energy.active_energy_index');
    const tuesday = dayUse('2026-11-17');
    const saturday = dayUse('2026-11-21');
    expect(saturday).toBeGreaterThan(0);
    expect(saturday).toBeLessThan(tuesday * 0.5);
  });

  it('should open the school at 8:00 local time in summer and in winter alike', () => {
    const winterOpen = value(school, paris('2026-02-10', '10:00'), 'energy.active_power');
    const winterEarly = value(school, paris('2026-02-10', '05:00'), 'energy.active_power');
    const summerOpen = value(school, paris('2026-06-09', '10:00'), 'energy.active_power');
    const summerEarly = value(school, paris('2026-06-09', '05:00'), 'energy.active_power');
    expect(winterOpen / winterEarly).toBeGreaterThan(4);
    expect(summerOpen / summerEarly).toBeGreaterThan(4);
  });

  it('should keep the energy index monotonic and consistent with the mean power', () => {
    const start = paris('2026-11-16', '00:00');
    let previous = -1;
    let energyFromPower = 0;
    for (let at = start; at < start + 7 * DAY; at += 10 * 60_000) {
      const index = value(school, at, 'energy.active_energy_index');
      expect(index).toBeGreaterThanOrEqual(previous);
      previous = index;
      energyFromPower += (value(school, at + 5 * 60_000, 'energy.active_power') / 1000) * (10 / 60);
    }
    const counted =
      value(school, start + 7 * DAY, 'energy.active_energy_index') -
      value(school, start, 'energy.active_energy_index');
    // Noise on the sampled power, none on the index: a week of both agrees within a few percent.
    expect(Math.abs(counted - energyFromPower) / counted).toBeLessThan(0.05);
  });

  it('should restart the index from zero at a meter reset and keep counting from there', () => {
    const generate = createReadingGenerator(school);
    const resetAt = paris('2026-11-17', '12:00');
    const index = (at: number) =>
      generate(instant(at), resetAt).find((r) => r.metric === 'energy.active_energy_index')?.value ?? NaN;
    expect(index(resetAt - 10 * 60_000)).toBeGreaterThan(1000);
    expect(index(resetAt)).toBe(0);
    expect(index(resetAt + HOUR)).toBeGreaterThan(0);
    expect(index(resetAt + HOUR)).toBeLessThan(500);
  });
});

describe('heating profiles', () => {
  it('should burn more gas on a winter day than on a summer day', () => {
    const dayUse = (date: string) =>
      value(schoolGas, paris(date, '00:00') + DAY, 'energy.gas_volume_index') -
      value(schoolGas, paris(date, '00:00'), 'energy.gas_volume_index');
    const january = dayUse('2026-01-20');
    const july = dayUse('2026-07-21');
    expect(july).toBeGreaterThan(0); // hot water all year
    expect(january).toBeGreaterThan(july * 5);
  });
});

describe('water profiles', () => {
  const flowMeter = deviceOfKind(
    'water_flow_sensor',
    (d) => d.profile.type === 'water_flow' && d.profile.leak === undefined,
  );
  const leaking = deviceOfKind(
    'water_flow_sensor',
    (d) => d.profile.type === 'water_flow' && d.profile.leak !== undefined,
  );
  const pressure = deviceOfKind('pressure_sensor');

  it('should reach its minimum flow at night and its peak in the morning', () => {
    const night = value(flowMeter, paris('2026-11-17', '03:30'), 'water.flow');
    const morning = value(flowMeter, paris('2026-11-17', '08:00'), 'water.flow');
    expect(night).toBeLessThan(morning * 0.4);
  });

  it('should raise the night minimum flow of a leaking sector by the leak flow', () => {
    if (leaking.profile.type !== 'water_flow' || leaking.profile.leak === undefined)
      throw new Error('fixture');
    const { leak, meanFlowM3h } = leaking.profile;
    const before = value(leaking, leak.startsAt - 7 * DAY + 3.5 * HOUR, 'water.flow');
    const after = value(leaking, leak.startsAt + 7 * DAY + 3.5 * HOUR, 'water.flow');
    // Same weekday and hour a fortnight apart: the leak explains the difference, noise a little.
    expect(after - before).toBeGreaterThan(leak.flowM3h - 0.1 * meanFlowM3h);
    expect(after - before).toBeLessThan(leak.flowM3h + 0.1 * meanFlowM3h);
  });

  it('should raise the leak alarm of the leaking sector only after the leak started', () => {
    const sensor = deviceOfKind(
      'leak_sensor',
      (d) => d.profile.type === 'leak' && d.profile.leak !== undefined,
    );
    if (sensor.profile.type !== 'leak' || sensor.profile.leak === undefined) throw new Error('fixture');
    expect(value(sensor, sensor.profile.leak.startsAt - HOUR, 'water.leak_alarm')).toBe(0);
    expect(value(sensor, sensor.profile.leak.startsAt + HOUR, 'water.leak_alarm')).toBe(1);
  });

  it('should dip in pressure at peak demand', () => {
    const night = value(pressure, paris('2026-11-17', '03:30'), 'water.pressure');
    const peak = value(pressure, paris('2026-11-17', '08:00'), 'water.pressure');
    expect(peak).toBeLessThan(night - 0.2);
  });
});

describe('water network balance', () => {
  const sectors = new Map<string, SimDevice[]>();
  for (const d of territory.devices) {
    if (d.record.meterRole === undefined || !/-secteur-/.test(d.record.site)) continue;
    sectors.set(d.record.site, [...(sectors.get(d.record.site) ?? []), d]);
  }
  const volume = (d: SimDevice, from: number, to: number) =>
    value(d, to, 'water.volume_index') - value(d, from, 'water.volume_index');

  it('should give every water sector a production meter and consumption meters', () => {
    expect(sectors.size).toBeGreaterThan(3);
    for (const meters of sectors.values()) {
      expect(meters.filter((d) => d.record.meterRole === 'production')).toHaveLength(1);
      expect(meters.filter((d) => d.record.meterRole === 'consumption')).toHaveLength(2);
    }
  });

  it("should put into each sector its consumers' volume plus 10 to 20 % of losses", () => {
    const from = paris('2024-11-17', '00:00');
    const to = from + DAY;
    for (const meters of sectors.values()) {
      const produced = meters
        .filter((d) => d.record.meterRole === 'production' && d.profile.type === 'water_meter')
        .reduce((sum, d) => sum + volume(d, from, to), 0);
      const consumed = meters
        .filter((d) => d.record.meterRole === 'consumption')
        .reduce((sum, d) => sum + volume(d, from, to), 0);
      const losses = (produced - consumed) / produced;
      expect(losses).toBeGreaterThan(0.1);
      expect(losses).toBeLessThan(0.2);
    }
  });
});

describe('mobility profiles', () => {
  const counter = deviceOfKind('traffic_counter');
  const bikes = deviceOfKind('bike_counter');
  const parking = deviceOfKind('parking_sensor');

  it('should count more vehicles at the morning rush hour than at 3 a.m.', () => {
    const rush = value(counter, paris('2026-11-17', '08:00'), 'mobility.vehicle_count');
    const night = value(counter, paris('2026-11-17', '03:00'), 'mobility.vehicle_count');
    expect(rush).toBeGreaterThan(night * 10);
  });

  it('should have no morning rush on a Sunday', () => {
    const weekday = value(counter, paris('2026-11-17', '08:00'), 'mobility.vehicle_count');
    const sunday = value(counter, paris('2026-11-22', '08:00'), 'mobility.vehicle_count');
    expect(sunday).toBeLessThan(weekday * 0.5);
  });

  it('should report one whole, non-negative count per vehicle class, and a slower speed at rush hour', () => {
    const readings = readingsAt(counter, instant(paris('2026-11-17', '08:00')));
    const counts = readings.filter((r) => r.metric === 'mobility.vehicle_count');
    expect(counts.map((r) => r.vehicleClass)).toEqual(['car', 'van', 'truck', 'bus', 'motorcycle']);
    for (const r of counts) expect(Number.isInteger(r.value) && r.value >= 0).toBe(true);
    const rushSpeed = value(counter, paris('2026-11-17', '08:00'), 'mobility.average_speed');
    const nightSpeed = value(counter, paris('2026-11-17', '03:00'), 'mobility.average_speed');
    expect(rushSpeed).toBeLessThan(nightSpeed);
  });

  it('should count bikes at the commute peaks rather than at 3 a.m.', () => {
    const commute = value(bikes, paris('2026-06-09', '08:00'), 'mobility.bike_count', HOUR);
    const night = value(bikes, paris('2026-06-09', '03:00'), 'mobility.bike_count', HOUR);
    expect(commute).toBeGreaterThan(20);
    expect(night).toBeLessThan(commute / 10);
  });

  it('should keep parking occupancy between zero and the capacity', () => {
    const start = paris('2026-11-16', '00:00');
    const problems: string[] = [];
    let busy = 0;
    let quiet = 0;
    for (const device of territory.devices.filter((d) => d.record.kind === 'parking_sensor')) {
      for (let at = start; at < start + 7 * DAY; at += 5 * 60_000) {
        const occupied = value(device, at, 'mobility.parking_occupied');
        const capacity = value(device, at, 'mobility.parking_capacity');
        if (!Number.isInteger(occupied) || occupied < 0 || occupied > capacity) {
          problems.push(`${device.record.deviceId} ${new Date(at).toISOString()}: ${occupied}/${capacity}`);
        }
        if (occupied / capacity > 0.7) busy++;
        if (occupied / capacity < 0.3) quiet++;
      }
    }
    expect(problems).toEqual([]);
    expect(busy).toBeGreaterThan(100);
    expect(quiet).toBeGreaterThan(100);
    expect(value(parking, start, 'mobility.parking_capacity')).toBeGreaterThan(0);
  });
});

describe('every profile', () => {
  it('should only send declared metrics with plausible values, stamped inside the tick', () => {
    const day = paris('2026-10-25', '00:00'); // a 25-hour day: clocks go back
    const problems: string[] = [];
    let readings = 0;
    for (const device of territory.devices) {
      const interval = device.record.expectedIntervalS * 1000;
      for (let at = day; at < day + 25 * HOUR; at += interval) {
        for (const r of readingsAt(device, { at, countFrom: at, countTo: at + interval })) {
          readings++;
          const where = `${device.record.deviceId} ${r.metric} at ${new Date(at).toISOString()}`;
          if (!device.record.metrics.includes(r.metric)) problems.push(`${where}: undeclared`);
          const plausible = checkPlausibility(r.metric, r.value);
          if (!plausible.ok) problems.push(`${where}: ${plausible.reason}`);
          if (r.ts !== at) problems.push(`${where}: stamped ${r.ts}`);
          if (r.vehicleClass !== undefined && !getMetric(r.metric).dimensions.includes('vehicleClass')) {
            problems.push(`${where}: unexpected dimension`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(readings).toBeGreaterThan(50_000);
  });

  it('should give the same readings for the same device and tick, whatever the id prefix', () => {
    const prefixed = buildTerritory({ prefix: 't-abc-' });
    const at = paris('2026-11-17', '08:15');
    const strip = (readings: SimReading[]) => JSON.stringify(readings);
    for (const [i, device] of territory.devices.entries()) {
      const twin = prefixed.devices[i];
      if (twin === undefined) throw new Error('same size expected');
      expect(twin.record.deviceId).toBe(`t-abc-${device.record.deviceId}`);
      expect(strip(readingsAt(twin, instant(at)))).toBe(strip(readingsAt(device, instant(at))));
    }
  });
});
