/**
 * Why a write to the point store failed. Retry logic asks `canRetry`, never the message text:
 * - POINTS_REJECTED: the store refused the points themselves (HTTP 400, 413, 422): the same body
 *   will be refused again, so the batch is split to isolate the bad points;
 * - ABORTED: the writer is stopping and gave up on the request;
 * - anything else is the store being unreachable, slow, overloaded or misconfigured (wrong
 *   credentials, missing database): retried with backoff until it is fixed, never dropped.
 */
export type PointSinkErrorCode =
  | 'POINTS_REJECTED'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'THROTTLED'
  | 'SERVER_ERROR'
  | 'ABORTED';

export class PointSinkError extends Error {
  override readonly name = 'PointSinkError';
  readonly code: PointSinkErrorCode;
  /** HTTP status, when the store answered. */
  readonly status: number | undefined;
  /** Points the store says it dropped (InfluxDB's `partial write ... dropped=N`), when it says so. */
  readonly droppedPoints: number | undefined;

  constructor(
    code: PointSinkErrorCode,
    message: string,
    details: { status?: number; droppedPoints?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.droppedPoints = details.droppedPoints;
  }

  get canRetry(): boolean {
    return this.code !== 'POINTS_REJECTED' && this.code !== 'ABORTED';
  }
}
