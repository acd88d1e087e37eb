/** Bounds on reading times, relative to the moment the bridge received the message. */
export interface ValidationPolicy {
  /** A reading stamped later than receivedAt + this is refused (TIMESTAMP_IN_FUTURE). */
  readonly maxFutureSkewMs: number;
  /** A reading stamped earlier than receivedAt - this is refused (TIMESTAMP_TOO_OLD). */
  readonly maxAgeMs: number;
}

export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** The InfluxDB retention of the `terrapulse` database: older points would be dropped on write. */
export const DEFAULT_MAX_AGE_MS = 400 * 86_400_000;

export const defaultValidationPolicy: ValidationPolicy = Object.freeze({
  maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS,
  maxAgeMs: DEFAULT_MAX_AGE_MS,
});
