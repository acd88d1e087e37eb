import { Kafka, logLevel } from 'kafkajs';
import { stopKafkajsIdleTimers } from './kafkajs-idle-timers.js';
import type { Logger } from './logger.js';

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go through the service's structured logger. */
export function createKafka(options: {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}): Kafka {
  stopKafkajsIdleTimers();
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 30, maxRetryTime: 10_000 },
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...fields } = entry;
        log[LEVEL[level] ?? 'info'](String(message), fields);
      },
  });
}
