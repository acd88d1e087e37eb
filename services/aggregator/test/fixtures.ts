import type { NormalizedReading } from '../src/domain/index.js';

/** Epoch ms of an ISO instant; tests spell instants in UTC with a trailing Z. */
export function at(iso: string): number {
  const ts = Date.parse(iso);
  if (Number.isNaN(ts)) throw new Error(`not an instant: ${iso}`);
  return ts;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** An energy index reading of meter-1 unless overridden. */
export function reading(
  fields: Partial<NormalizedReading> & { ts: number; value: number },
): NormalizedReading {
  return {
    deviceId: 'meter-1',
    tenant: 'commune-a',
    site: 'school-jules-ferry',
    domain: 'energy',
    metric: 'energy.active_energy_index',
    kind: 'cumulative_index',
    unit: 'kWh',
    receivedAt: fields.ts,
    dims: {},
    ...fields,
  };
}

/** Mulberry32: a small seeded PRNG, so a failing shuffle can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher-Yates shuffle into a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = held;
  }
  return copy;
}
