import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { stopKafkajsIdleTimers } from '../src/kafkajs-idle-timers.js';

interface QueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
}
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
  prototype: { scheduleCheckPendingRequests(this: QueueState): void };
};

/** Whether one call of the (fixed) schedule arms kafkajs's check timer for this queue state. */
function arms(state: Omit<QueueState, 'throttleCheckTimeoutId'>): boolean {
  const queue: QueueState = { ...state, throttleCheckTimeoutId: null };
  RequestQueue.prototype.scheduleCheckPendingRequests.call(queue);
  const armed = queue.throttleCheckTimeoutId !== null;
  if (queue.throttleCheckTimeoutId !== null) clearTimeout(queue.throttleCheckTimeoutId);
  return armed;
}

describe('kafkajs idle timers', () => {
  it('should stop kafkajs arming a check timer on an idle queue, which it does until the fix is applied', () => {
    expect(arms({ pending: [], throttledUntil: -1 })).toBe(true);
    stopKafkajsIdleTimers();
    stopKafkajsIdleTimers();
    expect(arms({ pending: [], throttledUntil: -1 })).toBe(false);
  });

  it('should still arm the check while a request waits or a throttle is in force', () => {
    stopKafkajsIdleTimers();
    expect(arms({ pending: [{}], throttledUntil: -1 })).toBe(true);
    expect(arms({ pending: [], throttledUntil: Date.now() + 60_000 })).toBe(true);
  });
});
