/** Delay before retry number `failures` (1-based): doubling from `baseMs`, capped, with jitter. */
export function backoffDelay(failures: number, baseMs = 200, maxMs = 10_000): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 16));
  // Full jitter on the upper half: instances retrying together do not hammer the broker in step.
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
