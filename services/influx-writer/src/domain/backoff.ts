/** Exponential backoff between attempts to reach a dependency that is down. */
export interface BackoffPolicy {
  /** Delay ceiling of the first retry. */
  readonly initialMs: number;
  /** Highest delay ceiling, reached after a few failures and kept while the outage lasts. */
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): the ceiling doubles per attempt up
 * to `maxMs`, and the delay is drawn in [ceiling / 2, ceiling] ("equal jitter"), so instances that
 * failed together do not all come back in the same millisecond.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
