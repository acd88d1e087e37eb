import { z } from 'zod';
import { MAX_REJECTION_ISSUES } from './limits.js';
import { DeviceId, EpochMs } from './primitives.js';

/** Why a message went to `telemetry.rejected`. Dashboards and alerts count by this code. */
export const RejectionReason = z
  .enum([
    'MALFORMED_PAYLOAD',
    'UNSUPPORTED_FORMAT',
    'SCHEMA_INVALID',
    'PAYLOAD_TOO_LARGE',
    'TOPIC_INVALID',
    'IDENTITY_MISMATCH',
    'UNKNOWN_DEVICE',
    'DEVICE_NOT_PROVISIONED',
    'DEVICE_SUSPENDED',
    'DEVICE_DECOMMISSIONED',
    'UNKNOWN_METRIC',
    'METRIC_NOT_DECLARED',
    'DIMENSION_INVALID',
    'UNIT_INVALID',
    'VALUE_OUT_OF_RANGE',
    'TIMESTAMP_IN_FUTURE',
    'TIMESTAMP_TOO_OLD',
  ])
  .describe('Machine-readable reason a message was rejected');
export type RejectionReason = z.infer<typeof RejectionReason>;

export const rejectionReasonDescriptions: Readonly<Record<RejectionReason, string>> = Object.freeze({
  MALFORMED_PAYLOAD: 'The payload is not valid UTF-8 JSON, or nests deeper than allowed.',
  UNSUPPORTED_FORMAT: 'The topic names a payload format the pipeline does not decode.',
  SCHEMA_INVALID: 'The payload is JSON but does not match the envelope or SenML contract.',
  PAYLOAD_TOO_LARGE: 'The payload exceeds the uplink size limit.',
  TOPIC_INVALID: 'The MQTT topic does not follow terrapulse/v1/devices/{deviceId}/up/{format}.',
  IDENTITY_MISMATCH: 'The device named in the payload is not the device of the topic.',
  UNKNOWN_DEVICE: 'The registry has no device with this id.',
  DEVICE_NOT_PROVISIONED: 'The device is registered but has no credentials yet, so it cannot publish.',
  DEVICE_SUSPENDED: 'The device is suspended; its readings are refused until it is reactivated.',
  DEVICE_DECOMMISSIONED: 'The device is decommissioned; its credentials should no longer work.',
  UNKNOWN_METRIC: 'The metric id is not in the metric catalogue.',
  METRIC_NOT_DECLARED: 'The metric exists but is not among the metrics declared for this device.',
  DIMENSION_INVALID: 'A dimension is not accepted by the metric, or its value is not allowed.',
  UNIT_INVALID: 'The unit is neither the canonical unit of the metric nor an accepted alternative.',
  VALUE_OUT_OF_RANGE:
    'The value is outside the plausible range of the metric, or not a whole number where one is required.',
  TIMESTAMP_IN_FUTURE: 'The reading is timestamped further in the future than clock drift explains.',
  TIMESTAMP_TOO_OLD: 'The reading is older than the pipeline accepts (windows already final).',
});

export const RejectionIssue = z.object({
  path: z.string().describe('Dotted path in the payload, e.g. readings.0.value; empty for the root'),
  message: z.string(),
});
export type RejectionIssue = z.infer<typeof RejectionIssue>;

/** Kafka offsets are int64: a decimal string keeps them exact past 2**53. */
export const KafkaOffset = z.string().regex(/^\d{1,20}$/);
export type KafkaOffset = z.infer<typeof KafkaOffset>;

/**
 * The record on `telemetry.rejected`. It keeps the original bytes so that a fixed validator, or a
 * human, can replay the message; everything else is there to find and count the cause.
 * Kafka records are plain objects (unknown keys stripped, not refused) so a consumer keeps working
 * when a producer of a newer release adds an optional field.
 */
export const Rejection = z
  .object({
    reason: RejectionReason,
    detail: z.string().max(2000).describe('Human-readable explanation, for operators'),
    issues: z.array(RejectionIssue).max(MAX_REJECTION_ISSUES).optional(),
    topic: z.string().describe('MQTT topic the message was published to'),
    deviceIdHint: DeviceId.optional().describe('Device of the topic, when the topic could be parsed'),
    receivedAt: EpochMs.describe('When the bridge received the message'),
    rawBase64: z.base64().describe('Original payload bytes, base64'),
    rawTruncated: z.boolean().optional().describe('True when rawBase64 holds only the first bytes'),
    source: z
      .object({ partition: z.int().min(0), offset: KafkaOffset })
      .describe('Position of the message in telemetry.raw'),
  })
  .describe('Dead letter: a message the pipeline could not accept');
export type Rejection = z.infer<typeof Rejection>;

/** Flattens zod issues into the dead-letter shape, bounded so a pathological payload stays small. */
export function rejectionIssues(error: z.ZodError): RejectionIssue[] {
  return error.issues.slice(0, MAX_REJECTION_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
