import { describe, expect, it } from 'vitest';
import { classifyKafkaError } from '../src/adapters/kafka/classify-kafka-error.js';

/** Shaped like kafkajs's errors: a protocol error wrapped by the retrier. */
function kafkajsError(type: string, retriable: boolean): Error {
  const protocol = Object.assign(new Error(`protocol ${type}`), {
    type,
    retriable,
    name: 'KafkaJSProtocolError',
  });
  return Object.assign(new Error('retries exceeded'), {
    cause: protocol,
    name: 'KafkaJSNumberOfRetriesExceeded',
  });
}

describe('kafkajs error classification', () => {
  it('should call a record too large a rejected record, even wrapped in a retry error', () => {
    const error = classifyKafkaError(kafkajsError('MESSAGE_TOO_LARGE', false));
    expect(error.code).toBe('RECORD_REJECTED');
    expect(error.canRetry).toBe(false);
    expect(error.message).toMatch(/MESSAGE_TOO_LARGE/);
  });

  it('should call anything else the dependency failing, to be retried', () => {
    for (const type of ['UNKNOWN_TOPIC_OR_PARTITION', 'CORRUPT_MESSAGE', 'TOPIC_AUTHORIZATION_FAILED']) {
      expect(classifyKafkaError(kafkajsError(type, true)).canRetry).toBe(true);
    }
    expect(classifyKafkaError(new Error('Connection error: ECONNREFUSED')).code).toBe('UNAVAILABLE');
    expect(classifyKafkaError('weird').code).toBe('UNAVAILABLE');
  });
});
