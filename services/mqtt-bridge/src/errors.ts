/**
 * Why a sink refused a batch. `RECORD_REJECTED`: the records themselves (too large, invalid), so
 * sending them again cannot succeed. `UNAVAILABLE`: the dependency (broker down, topic missing,
 * not authorized, timeout), which may recover, so the same batch is sent again later.
 */
export type RawSinkErrorCode = 'RECORD_REJECTED' | 'UNAVAILABLE';

export class RawSinkError extends Error {
  override readonly name = 'RawSinkError';

  constructor(
    readonly code: RawSinkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Retry logic asks the error, never the message text. */
  get canRetry(): boolean {
    return this.code === 'UNAVAILABLE';
  }
}

/** Anything a sink throws that it did not classify is treated as the dependency failing. */
export function asRawSinkError(error: unknown): RawSinkError {
  if (error instanceof RawSinkError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RawSinkError('UNAVAILABLE', message, { cause: error });
}
