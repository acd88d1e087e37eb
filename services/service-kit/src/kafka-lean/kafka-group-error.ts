import { kafkaErrorName } from './kafka-error-codes.js';

/**
 * A consumer-group request refused by the broker. `type` is the protocol's error name, as kafkajs
 * spells it (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION...), so callers can test either client's
 * errors the same way.
 */
export class KafkaGroupError extends Error {
  override readonly name = 'KafkaGroupError';
  readonly type: string;

  constructor(
    readonly code: number,
    context: string,
  ) {
    super(`${context}: ${kafkaErrorName(code)}`);
    this.type = kafkaErrorName(code);
  }
}
