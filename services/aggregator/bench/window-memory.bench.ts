/**
 * Live heap per open window, as a full-rate replay of 15-minute meters holds them:
 *
 *   node --expose-gc --import tsx --conditions=source services/aggregator/bench/window-memory.bench.ts [--devices D] [--readings-per-device N]
 *
 * One reading per 15-minute window, so most windows hold a single reading, as in `npm run bench`
 * where hundreds of them per device rest through their close grace. Prints the heap the store
 * holds after a full GC, divided by its open windows of every kind.
 */

import type { NormalizedReading } from '@terrapulse/contracts';
import { ApplyOutcome, WindowStore } from '../src/domain/index.js';
import { numberOption } from './number-option.js';

const DEVICES = numberOption('devices', 300);
const PER_DEVICE = numberOption('readings-per-device', 800);
const QUARTER_HOUR = 900_000;
const START = Date.parse('2026-10-20T00:00:00Z');

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run node with --expose-gc');

const store = new WindowStore({ closeGraceMs: 10_000, emit: 'coalesce', clock: () => 0 });
const outcome = new ApplyOutcome();
gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < PER_DEVICE; i++) {
  for (let d = 0; d < DEVICES; d++) {
    const reading: NormalizedReading = {
      deviceId: `mem-${d}`,
      tenant: 'bench',
      site: 'site',
      domain: 'energy',
      metric: 'energy.active_power',
      kind: 'instantaneous',
      unit: 'W',
      value: 1_000 + ((i * 37 + d) % 500) / 4,
      ts: START + i * QUARTER_HOUR + d * 1_000,
      receivedAt: START,
      dims: {},
      sourceSeq: i,
    };
    outcome.reset([]);
    store.applyInto(reading, outcome);
  }
}
store.drainChanged();
gc();
const bytes = process.memoryUsage().heapUsed - before;
const windows = store.openWindowCount;
console.log(
  `${DEVICES * PER_DEVICE} readings, ${windows} open windows: ${Math.round(bytes / 1_048_576)} MiB, ${Math.round(bytes / windows)} bytes per open window`,
);
