import { RawSinkError } from '../../errors.js';

/**
 * Kafka error types that mean "these records cannot be written, whatever you do": retrying them
 * would block the bridge forever, so they are split out and skipped instead. Only size: anything
 * else the records could be refused for (a bad CRC, an invalid record) is a client bug, which must
 * stop the flow, visibly, rather than skip messages.
 */
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

interface KafkaJsErrorShape {
  readonly type?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: unknown;
}

/** The kafkajs error types in an error and everything it wraps (retries, aggregates, causes). */
function errorTypes(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const shape = error as KafkaJsErrorShape;
  const own = typeof shape.type === 'string' ? [shape.type] : [];
  const nested = [shape.cause, shape.originalError, ...(Array.isArray(shape.errors) ? shape.errors : [])];
  return [...own, ...nested.flatMap((inner) => errorTypes(inner, seen))];
}

export function classifyKafkaError(error: unknown): RawSinkError {
  const types = errorTypes(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = types.some((type) => RECORD_ERRORS.has(type)) ? 'RECORD_REJECTED' : 'UNAVAILABLE';
  const detail = types.length > 0 ? `${message} (${[...new Set(types)].join(', ')})` : message;
  return new RawSinkError(code, detail, { cause: error });
}
