/**
 * Why the lean producer refused a send. `RECORD_REJECTED`: the records themselves (too large), so
 * sending them again cannot succeed. `UNAVAILABLE`: the broker or the network (down, topic missing,
 * leader moving, timeout), which may recover, so the caller sends again later.
 */
export type LeanProduceErrorCode = 'RECORD_REJECTED' | 'UNAVAILABLE';

export class LeanProduceError extends Error {
  override readonly name = 'LeanProduceError';

  /** The broker's error code, when the broker answered with one. */
  readonly kafkaErrorCode: number | undefined;

  constructor(
    readonly code: LeanProduceErrorCode,
    message: string,
    options?: { cause?: unknown; kafkaErrorCode?: number },
  ) {
    super(message, options);
    this.kafkaErrorCode = options?.kafkaErrorCode;
  }

  get canRetry(): boolean {
    return this.code === 'UNAVAILABLE';
  }
}
