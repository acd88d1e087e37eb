/**
 * Why the lean producer refused a send. `RECORD_REJECTED`: the records themselves (too large), so
 * sending them again cannot succeed. `UNAVAILABLE`: the broker or the network (down, topic missing,
 * leader moving, timeout), which may recover, so the caller sends again later.
 */
export type LeanProduceErrorCode = 'RECORD_REJECTED' | 'UNAVAILABLE';

export class LeanProduceError extends Error {
  override readonly name = 'LeanProduceError';

  constructor(
    readonly code: LeanProduceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get canRetry(): boolean {
    return this.code === 'UNAVAILABLE';
  }
}
