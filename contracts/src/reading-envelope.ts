import { z } from 'zod';
import { ReadingDims } from './dimensions.js';
import { MAX_READINGS_PER_MESSAGE } from './limits.js';
import { MetricId } from './metric-catalogue.js';
import { DeviceId, EpochMs } from './primitives.js';

/**
 * A time as a device may send it. ISO-8601 strings must carry `Z` or an offset: a local time
 * without offset is ambiguous twice a year in every French commune.
 */
export const DeviceTimestamp = z
  .union([EpochMs, z.iso.datetime({ offset: true })])
  .describe('Epoch milliseconds (integer) or ISO-8601 date-time with Z or an offset');
export type DeviceTimestamp = z.infer<typeof DeviceTimestamp>;

export const EnvelopeReading = z
  .strictObject({
    metric: MetricId,
    value: z.number().describe('Value in `unit`; finite'),
    unit: z
      .string()
      .min(1)
      .max(16)
      .optional()
      .describe("Unit of `value`; the metric's canonical unit when absent"),
    ts: DeviceTimestamp.optional().describe('Measurement time; the envelope ts when absent'),
    dims: ReadingDims.optional(),
  })
  .describe('One measurement');
export type EnvelopeReading = z.infer<typeof EnvelopeReading>;

/**
 * The native JSON payload of `terrapulse/v1/devices/{deviceId}/up/json`. Objects are strict: an
 * unknown key is far more often a firmware typo (`valeu`) than a harmless extension, and a typo
 * silently ignored is a reading silently lost.
 */
export const ReadingEnvelope = z
  .strictObject({
    v: z.literal(1).describe('Envelope version'),
    deviceId: DeviceId.describe('Must equal the deviceId segment of the MQTT topic'),
    ts: DeviceTimestamp.optional().describe('Default measurement time of the readings'),
    seq: z
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Message counter of the device, for diagnosing gaps and replays'),
    readings: z.array(EnvelopeReading).min(1).max(MAX_READINGS_PER_MESSAGE),
  })
  .describe('Terrapulse reading envelope, published by a device');
export type ReadingEnvelope = z.infer<typeof ReadingEnvelope>;

/** Converts a validated device timestamp to integer epoch ms (sub-millisecond digits are dropped). */
export function toEpochMs(ts: DeviceTimestamp): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}

/**
 * Time of one reading: its own ts, else the envelope's, else the moment the bridge received the
 * message. Falling back to the bridge's receive time (a Kafka header) rather than the validator's
 * clock keeps a replayed message on the same timestamp, hence on the same dedup key.
 */
export function readingTimeMs(
  envelopeTs: DeviceTimestamp | undefined,
  reading: EnvelopeReading,
  receivedAt: number,
): number {
  const ts = reading.ts ?? envelopeTs;
  return ts === undefined ? receivedAt : toEpochMs(ts);
}
