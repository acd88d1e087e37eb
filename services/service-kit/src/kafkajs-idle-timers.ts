import { createRequire } from 'node:module';

/** The fields of kafkajs's RequestQueue the fix reads. */
interface RequestQueueState {
  readonly pending: readonly unknown[];
  readonly throttledUntil: number;
}
type Schedule = (this: RequestQueueState) => void;

let applied = false;

/**
 * Stops kafkajs's idle timer loop. In kafkajs 2.2.4 every check of a connection's pending requests
 * schedules the next check, with a 1 ms timer when nothing is pending (tulios/kafkajs#1556, #1704;
 * the fix of #1667 is unreleased), so each open connection runs about 1,000 no-op timers a second
 * for as long as it lives, and every service keeps some open (the validator's registry consumer,
 * the aggregator's checkpoint reads, admin clients). An idle kafkajs consumer measured 31 ms of
 * CPU per second with the loop, 8 without: over 1 µs per reading at the pipeline's rate. With this
 * (createKafka applies it), a check is scheduled only while a request waits or a broker throttle is
 * in force, exactly when kafkajs's own schedule does something. Process-wide and idempotent; a
 * kafkajs without the method (another version) is left alone.
 */
export function stopKafkajsIdleTimers(): void {
  if (applied) return;
  applied = true;
  let queue: unknown;
  try {
    queue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
  } catch {
    return;
  }
  const prototype = (queue as { prototype?: { scheduleCheckPendingRequests?: unknown } } | undefined)
    ?.prototype;
  const schedule = prototype?.scheduleCheckPendingRequests;
  if (prototype === undefined || typeof schedule !== 'function') return;
  prototype.scheduleCheckPendingRequests = function scheduleWhileNeeded(this: RequestQueueState): void {
    if (this.pending.length === 0 && !(this.throttledUntil > Date.now())) return;
    (schedule as Schedule).call(this);
  } satisfies Schedule;
}
