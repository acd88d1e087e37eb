/**
 * A small fleet around the 2026-10-25 Europe/Paris fall-back (the 25-hour day), in arrival
 * order: an energy meter with a counter reset, its power channel, a water meter replaced
 * mid-day, and a classifying traffic counter through the repeated hour. It carries
 * redeliveries (one with a different value), swapped neighbours, readings late within the
 * allowed lateness and readings too late for their short windows.
 */

import { type MetricId, metricCatalogue, type NormalizedReading } from '@terrapulse/contracts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const TIME_ZONE = 'Europe/Paris';
export const ALLOWED_LATENESS_MS = HOUR;

/** A reading of `metric` with the catalogue's domain, kind and unit. */
export function reading(
  deviceId: string,
  metric: MetricId,
  ts: number,
  value: number,
  dims: Record<string, string> = {},
): NormalizedReading {
  const { domain, kind, unit } = metricCatalogue[metric];
  return {
    deviceId,
    tenant: 'commune-a',
    site: 'mairie',
    domain,
    metric,
    kind,
    unit,
    value,
    ts,
    receivedAt: ts,
    dims,
  };
}

type Sent = { sendAt: number; reading: NormalizedReading };

/** Mulberry32, seeded, so the dataset is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The energy meter: an index on a 10-minute grid, sent every 20 min, odd slots sent late. */
function energyMeter(next: () => number): Sent[] {
  const deviceId = 'em-dst-1';
  const start = Date.parse('2026-10-24T20:00:00Z');
  const grid: { ts: number; value: number }[] = [];
  let index = 48_210.125;
  for (let k = 0; k < 6 * 30; k++) {
    index = k === 90 ? 0.75 : index + Math.round(next() * 2_000) / 1_000;
    grid.push({ ts: start + k * 10 * MINUTE, value: index });
  }
  const sent: Sent[] = [];
  grid.forEach((point, k) => {
    if (k % 2 !== 0) return;
    const index = reading(deviceId, 'energy.active_energy_index', point.ts, point.value);
    const power = reading(deviceId, 'energy.active_power', point.ts, Math.round(next() * 90_000) / 7);
    // Swapped neighbours: this slot arrives just after the next one.
    const sendAt = k % 26 === 10 ? point.ts + 25 * MINUTE : point.ts;
    sent.push({ sendAt, reading: index }, { sendAt, reading: power });
    if (k % 18 === 0) sent.push({ sendAt: sendAt + 1, reading: { ...index, receivedAt: index.ts + 5 } });
  });
  // A redelivery with another value: the first one received wins.
  const conflict = grid[40] as { ts: number; value: number };
  sent.push({
    sendAt: conflict.ts + 2,
    reading: reading(deviceId, 'energy.active_energy_index', conflict.ts, conflict.value + 5),
  });
  // Late within the lateness: 35 min behind the device's clock.
  for (const k of [61, 121]) {
    const point = grid[k] as { ts: number; value: number };
    sent.push({
      sendAt: point.ts + 35 * MINUTE,
      reading: reading(deviceId, 'energy.active_energy_index', point.ts, point.value),
    });
  }
  // Too late for 15 min and 1 h windows, still in time for its day.
  const stale = grid[75] as { ts: number; value: number };
  sent.push({
    sendAt: stale.ts + 2 * HOUR + 5 * MINUTE,
    reading: reading(deviceId, 'energy.active_energy_index', stale.ts, stale.value),
  });
  return sent;
}

/** The water meter: hourly index and flow; the meter is replaced (index back near zero). */
function waterMeter(next: () => number): Sent[] {
  const deviceId = 'wm-dst-1';
  const start = Date.parse('2026-10-24T21:00:00Z');
  const sent: Sent[] = [];
  let index = 1_234.5;
  for (let h = 0; h < 28; h++) {
    const ts = start + h * HOUR + 7 * MINUTE;
    index = h === 14 ? 0.25 : index + Math.round(next() * 800) / 1_000;
    sent.push({ sendAt: ts, reading: reading(deviceId, 'water.volume_index', ts, index) });
    sent.push({ sendAt: ts, reading: reading(deviceId, 'water.flow', ts, Math.round(next() * 400) / 100) });
  }
  return sent;
}

/** The traffic counter: counts per 15 min and vehicle class, stamped at the interval start. */
function trafficCounter(next: () => number): Sent[] {
  const deviceId = 'tc-dst-1';
  const start = Date.parse('2026-10-24T23:30:00Z');
  const sent: Sent[] = [];
  for (let q = 0; q < 16; q++) {
    const ts = start + q * 15 * MINUTE;
    for (const vehicleClass of ['car', 'truck']) {
      const count = Math.floor(next() * (vehicleClass === 'car' ? 40 : 6));
      const r = reading(deviceId, 'mobility.vehicle_count', ts, count, { vehicleClass });
      sent.push({ sendAt: ts + 15 * MINUTE, reading: r });
      if (q % 5 === 2) sent.push({ sendAt: ts + 15 * MINUTE + 1, reading: { ...r } });
    }
  }
  return sent;
}

/** The readings in the order the pipeline receives them (stable within a device). */
export function dstDataset(): NormalizedReading[] {
  const next = random(20261025);
  const sent = [...energyMeter(next), ...waterMeter(next), ...trafficCounter(next)];
  return sent
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => a.sendAt - b.sendAt || a.i - b.i)
    .map((s) => s.reading);
}
