/**
 * Deterministic pseudo-randomness. Every simulated value is a function of (device, time), never
 * of `Math.random()`, so that a replay of the same period publishes the same bytes and a test can
 * recompute what the simulator sent.
 */

/** FNV-1a, 32 bits: a stable number for a device id or a seed text. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes integers into one well-spread 32-bit value (murmur3 finalizer over a running combine). */
export function mix(a: number, b: number, c = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ c;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform in [0, 1) from three integers. Times are passed in seconds so they fit 32 bits. */
export function uniform(a: number, b: number, c = 0): number {
  return mix(a, b, c) / 4_294_967_296;
}

/**
 * Approximately standard normal (mean 0, sd 1): the sum of three uniforms, rescaled. Bounded to
 * about ±3, which is what we want for sensor noise: no absurd outlier unless a fault asks for one.
 */
export function gaussian(a: number, b: number, c = 0): number {
  const u = uniform(a, b, c) + uniform(a, b, c ^ 0x5bd1e995) + uniform(a, b, c ^ 0x1b873593);
  return (u - 1.5) * 2;
}

/** A seeded generator (mulberry32) for building the territory, where order of draws is fixed. */
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
