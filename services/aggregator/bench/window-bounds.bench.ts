/**
 * Micro-benchmark of the aggregator's hot path: `npx tsx services/aggregator/bench/window-bounds.bench.ts`.
 * Prints windowBounds calls per second (readings near "now", and random instants over years)
 * and readings applied per second to a WindowStore maintaining the three window kinds.
 */

import { type NormalizedReading, type WindowKind, WindowStore, windowBounds } from '../src/domain/index.js';

const MINUTE = 60_000;
const YEAR = 365 * 86_400_000;
const ORIGIN = Date.parse('2026-01-01T00:00:00Z');

function rate(label: string, operations: number, run: () => void): void {
  run(); // warm-up: JIT, and the time zone blocks learnt from Intl
  const started = performance.now();
  run();
  const seconds = (performance.now() - started) / 1_000;
  console.log(`${label.padEnd(58)} ${Math.round(operations / seconds).toLocaleString('en-US')} /s`);
}

function boundsBench(label: string, timestamps: Float64Array, window: WindowKind, timeZone: string): void {
  let sink = 0;
  rate(`windowBounds ${window} ${timeZone} ${label}`, timestamps.length, () => {
    for (const ts of timestamps) sink += windowBounds(ts, window, timeZone).start;
  });
  if (sink === 42) console.log('');
}

const N = 1_000_000;
const live = Float64Array.from({ length: N }, (_, i) => ORIGIN + 180 * 86_400_000 + i * 50);
let seed = 12345;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const scattered = Float64Array.from(
  { length: N },
  () => ORIGIN - 5 * YEAR + Math.floor(random() * 10 * YEAR),
);

for (const window of ['15m', '1h', '1d'] as const) {
  boundsBench('(live stream)', live, window, 'Europe/Paris');
  boundsBench('(random over 10 years)', scattered, window, 'Europe/Paris');
}
boundsBench('(live stream)', live, '1h', 'Asia/Kolkata');

function fleet(devices: number, minutes: number): NormalizedReading[] {
  const readings: NormalizedReading[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let d = 0; d < devices; d++) {
      readings.push({
        deviceId: `meter-${d}`,
        tenant: 'commune-a',
        site: `site-${d % 40}`,
        domain: 'energy',
        metric: 'energy.active_energy_index',
        kind: 'cumulative_index',
        unit: 'kWh',
        value: 1_000 + m * 0.25 + d,
        ts: ORIGIN + m * MINUTE + (d % 60) * 1_000,
        receivedAt: ORIGIN + m * MINUTE + 2_000,
        dims: {},
      });
    }
  }
  return readings;
}

const readings = fleet(1_000, 720);
let emitted = 0;
rate(`WindowStore.apply, 1,000 devices x 12 h at 1/min, 3 windows`, readings.length, () => {
  const store = new WindowStore({ allowedLatenessMs: 15 * MINUTE, outOfOrdernessMs: MINUTE });
  for (const r of readings) emitted += store.apply(r).updates.length;
});
console.log(`(aggregates emitted per run: ${(emitted / 2).toLocaleString('en-US')})`);

let drained = 0;
rate(`WindowStore.apply, same, coalesced and drained every 20,000 readings`, readings.length, () => {
  const store = new WindowStore({
    allowedLatenessMs: 15 * MINUTE,
    outOfOrdernessMs: MINUTE,
    emit: 'coalesce',
  });
  readings.forEach((r, i) => {
    store.apply(r);
    if (i % 20_000 === 19_999) drained += store.drainChanged().length;
  });
});
console.log(`(aggregates drained per run: ${(drained / 2).toLocaleString('en-US')})`);
