import type { LogFields, Logger } from '@terrapulse/service-kit';

const WINDOW_MS = 60_000;

/**
 * Logs skipped records without flooding the logs when a producer bug turns a whole stream bad:
 * the first `perWindow` of each cause per minute are logged in full, the rest are counted and
 * summed up in one line when the minute ends. The metrics count every one of them.
 */
export class SkipLog {
  readonly #logger: Logger;
  readonly #perWindow: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { start: number; logged: number; suppressed: number }>();

  constructor(logger: Logger, perWindow = 20, now: () => number = Date.now) {
    this.#logger = logger;
    this.#perWindow = perWindow;
    this.#now = now;
  }

  report(cause: string, message: string, fields: LogFields): void {
    const now = this.#now();
    let window = this.#windows.get(cause);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      if (window !== undefined && window.suppressed > 0) {
        this.#logger.warn('more records skipped, not logged one by one', { cause, count: window.suppressed });
      }
      window = { start: now, logged: 0, suppressed: 0 };
      this.#windows.set(cause, window);
    }
    if (window.logged < this.#perWindow) {
      window.logged++;
      this.#logger.warn(message, { cause, ...fields });
    } else {
      window.suppressed++;
    }
  }
}
