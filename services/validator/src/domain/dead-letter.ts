import {
  MAX_REJECTED_RAW_BYTES,
  MAX_REJECTION_ISSUES,
  type Rejection,
  type RejectionIssue,
  type RejectionReason,
} from '@terrapulse/contracts';

/** The Rejection contract bounds `detail`; a longer text is cut, never refused. */
const MAX_DETAIL_CHARS = 2000;

/** What every dead letter of one raw message shares. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly deviceIdHint?: string;
  readonly receivedAt: number;
  readonly raw: Uint8Array;
  readonly partition: number;
  readonly offset: string;
}

export interface RejectionCause {
  readonly reason: RejectionReason;
  readonly detail: string;
  readonly issues?: readonly RejectionIssue[];
}

/**
 * Builds the dead letters of one raw message. The base64 of the original bytes is computed once,
 * however many readings of the message are refused.
 */
export class DeadLetterFactory {
  private rawBase64: string | undefined;
  private readonly truncated: boolean;

  constructor(private readonly source: DeadLetterSource) {
    this.truncated = source.raw.byteLength > MAX_REJECTED_RAW_BYTES;
  }

  create(cause: RejectionCause): Rejection {
    const { source } = this;
    this.rawBase64 ??= Buffer.from(
      source.raw.buffer,
      source.raw.byteOffset,
      Math.min(source.raw.byteLength, MAX_REJECTED_RAW_BYTES),
    ).toString('base64');
    return {
      reason: cause.reason,
      detail: cause.detail.length > MAX_DETAIL_CHARS ? cause.detail.slice(0, MAX_DETAIL_CHARS) : cause.detail,
      ...(cause.issues !== undefined &&
        cause.issues.length > 0 && { issues: cause.issues.slice(0, MAX_REJECTION_ISSUES) }),
      topic: source.topic,
      ...(source.deviceIdHint !== undefined && { deviceIdHint: source.deviceIdHint }),
      receivedAt: source.receivedAt,
      rawBase64: this.rawBase64,
      ...(this.truncated && { rawTruncated: true }),
      source: { partition: source.partition, offset: source.offset },
    };
  }
}
