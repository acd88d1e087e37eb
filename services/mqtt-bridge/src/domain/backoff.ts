export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): doubling from initialMs, capped at
 * maxMs, with up to 20% jitter removed so instances restarted together do not retry in lockstep.
 * `random` is injected so tests can pin it.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialMs * 2 ** Math.min(attempt, 30);
  const capped = Math.min(policy.maxMs, exponential);
  return Math.round(capped * (1 - 0.2 * random()));
}
