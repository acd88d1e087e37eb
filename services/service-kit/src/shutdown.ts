import type { Logger } from './logger.js';

/**
 * Runs `stop` once on SIGINT or SIGTERM, the one place a service handles
 * signals. A second signal, or a stop slower than the grace period, exits hard:
 * what is not committed is redelivered, so nothing acknowledged is lost.
 */
export function onShutdownSignal(stop: () => Promise<void>, logger: Logger, graceMs = 30_000): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn('second signal, exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.error('shutdown took too long, exiting', { graceMs });
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handle);
  process.once('SIGTERM', handle);
}
