import { mix, seededRandom, uniform } from './hash.js';
import { MINUTE_MS } from './local-time.js';

/** How often a fault happens: each eligible item with this probability, or exactly this many items. */
export type FaultRate = { readonly probability: number } | { readonly count: number };

export interface FaultSpec {
  /** A message published again, unchanged. */
  readonly duplicate?: FaultRate;
  /** A reading held back and published `lateByMs` later, after fresher ones. */
  readonly late?: FaultRate;
  /** A message that is not JSON (cut in half) or not the schema (a value sent as a string). */
  readonly malformed?: FaultRate;
  /** A message claiming another device's id on the publisher's own topic. */
  readonly spoof?: FaultRate;
  /** A message whose first value is outside the metric's plausible range. */
  readonly outOfRange?: FaultRate;
  /** Devices whose indexes restart from 0 in the middle of the run. */
  readonly meterResets?: number;
  /** Devices with MQTT credentials but no registry record. */
  readonly unknownDevices?: number;
  /** How late a late reading is. @default 30 minutes */
  readonly lateByMs?: number;
}

export const DEFAULT_LATE_BY_MS = 30 * MINUTE_MS;

const KEYS: Record<string, keyof FaultSpec> = {
  duplicate: 'duplicate',
  dup: 'duplicate',
  late: 'late',
  malformed: 'malformed',
  spoof: 'spoof',
  out_of_range: 'outOfRange',
  range: 'outOfRange',
  reset: 'meterResets',
  meter_reset: 'meterResets',
  unknown: 'unknownDevices',
  unknown_device: 'unknownDevices',
  late_by: 'lateByMs',
};

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new RangeError(`invalid duration ${JSON.stringify(text)} (e.g. 900, 15m, 2h)`);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? MINUTE_MS : 60 * MINUTE_MS;
  return Math.round(Number(match[1]) * factor);
}

function parseRate(key: string, text: string): FaultRate {
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text);
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${key}: invalid value ${JSON.stringify(text)}`);
  if (percent) return { probability: value / 100 };
  if (value < 1) return { probability: value };
  if (!Number.isInteger(value)) throw new RangeError(`${key}: a count must be a whole number, got ${text}`);
  return { count: value };
}

/**
 * Parses `--faults`: comma-separated `name=value`. A value below 1 (or `N%`) is a probability per
 * message (per reading for `late`), a whole number from 1 up is an exact count. `reset` and
 * `unknown` count devices; `late_by` is a duration (`900`, `15m`, `2h`).
 * Example: `duplicate=0.01,late=20,late_by=45m,malformed=5,spoof=5,out_of_range=5,reset=2,unknown=2`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: Record<string, unknown> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    const key = KEYS[name];
    if (key === undefined)
      throw new RangeError(`unknown fault ${JSON.stringify(name)}; known: ${Object.keys(KEYS).join(', ')}`);
    if (key === 'lateByMs') spec[key] = parseDuration(value);
    else if (key === 'meterResets' || key === 'unknownDevices') {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 0)
        throw new RangeError(`${name}: expected a device count, got ${value}`);
      spec[key] = count;
    } else spec[key] = parseRate(name, value);
  }
  return spec as FaultSpec;
}

export type ContentFault = 'malformed' | 'spoof' | 'out_of_range';

/** How many messages and readings a device is expected to publish, to place counted faults. */
export interface StreamSize {
  readonly messages: number;
  readonly readings: number;
}

/** Decides, deterministically from the seed, which messages and readings carry which fault. */
export interface FaultPlanner {
  /** At most one content fault per message; malformed wins over spoof, spoof over out_of_range. */
  contentFault(device: number, message: number): ContentFault | undefined;
  duplicate(device: number, message: number): boolean;
  late(device: number, reading: number): boolean;
}

type Decide = (device: number, ordinal: number) => boolean;

const SALT = { duplicate: 11, late: 12, malformed: 13, spoof: 14, outOfRange: 15 } as const;

/**
 * Probabilities are drawn per (device, ordinal) from a hash, so a decision does not depend on the
 * order in which devices happen to publish. Counts are placed up front, uniformly over the
 * expected stream of `eligible` devices (others never get the fault).
 */
export function createFaultPlanner(
  spec: FaultSpec,
  seed: number,
  sizes: readonly StreamSize[],
  eligible: (device: number) => boolean = () => true,
): FaultPlanner {
  const taken = new Set<string>();
  const decider = (
    rate: FaultRate | undefined,
    salt: number,
    unit: keyof StreamSize,
    exclusive: boolean,
  ): Decide => {
    if (rate === undefined) return () => false;
    if ('probability' in rate) {
      const p = rate.probability;
      return (device, ordinal) => p > 0 && eligible(device) && uniform(mix(seed, salt), device, ordinal) < p;
    }
    const chosen = placeCounts(
      rate.count,
      mix(seed, salt),
      sizes,
      unit,
      eligible,
      exclusive ? taken : new Set(),
    );
    return (device, ordinal) => chosen.has(`${device}:${ordinal}`);
  };
  const malformed = decider(spec.malformed, SALT.malformed, 'messages', true);
  const spoof = decider(spec.spoof, SALT.spoof, 'messages', true);
  const outOfRange = decider(spec.outOfRange, SALT.outOfRange, 'messages', true);
  const duplicate = decider(spec.duplicate, SALT.duplicate, 'messages', false);
  const late = decider(spec.late, SALT.late, 'readings', false);
  return {
    contentFault(device, message) {
      if (malformed(device, message)) return 'malformed';
      if (spoof(device, message)) return 'spoof';
      if (outOfRange(device, message)) return 'out_of_range';
      return undefined;
    },
    duplicate,
    late,
  };
}

/** Picks `count` distinct (device, ordinal) positions uniformly over the eligible streams. */
function placeCounts(
  count: number,
  seed: number,
  sizes: readonly StreamSize[],
  unit: keyof StreamSize,
  eligible: (device: number) => boolean,
  taken: Set<string>,
): Set<string> {
  const chosen = new Set<string>();
  const starts: number[] = [];
  let total = 0;
  for (const [device, size] of sizes.entries()) {
    starts.push(total);
    if (eligible(device)) total += size[unit];
  }
  const available = total - taken.size;
  const random = seededRandom(seed);
  for (let attempts = 0; chosen.size < Math.min(count, available) && attempts < count * 50; attempts++) {
    const position = Math.floor(random() * total);
    // The device whose slice of the total holds `position`: the last start at or below it.
    let device = sizes.length - 1;
    while (device > 0 && ((starts[device] ?? 0) > position || !eligible(device))) device--;
    const key = `${device}:${position - (starts[device] ?? 0)}`;
    if (taken.has(key) || chosen.has(key)) continue;
    chosen.add(key);
    taken.add(key);
  }
  return chosen;
}
