import {
  EnvelopeReading,
  EpochMs,
  type JsonValue,
  MAX_READINGS_PER_MESSAGE,
  MetricId,
  VehicleClass,
} from '@terrapulse/contracts';
import type { DecodedItem, DecodedUplink } from './decoded-uplink.js';

/*
 * The bounds below are read from the contract's schemas, so a change there changes them too; the
 * key lists are checked against the schemas' shapes by the tests.
 */
const METRICS: ReadonlySet<unknown> = new Set(MetricId.options);
const VEHICLE_CLASSES: ReadonlySet<unknown> = new Set(VehicleClass.options);
const UNIT = EnvelopeReading.shape.unit.unwrap();
export const UNIT_MIN = UNIT.minLength ?? 0;
export const UNIT_MAX = UNIT.maxLength ?? Number.POSITIVE_INFINITY;
const EPOCH_MIN = EpochMs.minValue ?? 0;
const EPOCH_MAX = EpochMs.maxValue ?? Number.MAX_SAFE_INTEGER;

/** The keys this check knows: an envelope with any other key is left to the schema. */
export const WELL_FORMED_KEYS = Object.freeze({
  envelope: ['v', 'deviceId', 'ts', 'seq', 'readings'],
  reading: ['metric', 'value', 'unit', 'ts', 'dims'],
  dims: ['vehicleClass'],
});

/** `readings.0` ... `readings.99`, built once: every decoded reading carries its path. */
export const READING_PATHS: readonly string[] = Array.from(
  { length: MAX_READINGS_PER_MESSAGE },
  (_, i) => `readings.${i}`,
);

/**
 * Decodes the common native envelope without the schema: every field present has the plain form
 * (epoch-ms times, no unknown key, a payload deviceId equal to the topic's, which is a valid
 * DeviceId) and every bound of `ReadingEnvelope` holds. The answer is then exactly the schema's,
 * about ten times cheaper. Anything else, valid or not, gives undefined, and the caller decodes
 * with the schema, so the rare cases keep zod's verdict and messages.
 *
 * A value accepted here nests 4 levels, within the JSON depth bound.
 */
export function decodeWellFormedEnvelope(value: JsonValue, topicDeviceId: string): DecodedUplink | undefined {
  if (!isPlainObject(value) || value.v !== 1 || value.deviceId !== topicDeviceId) return undefined;
  for (const key in value) {
    if (key !== 'v' && key !== 'deviceId' && key !== 'ts' && key !== 'seq' && key !== 'readings') {
      return undefined;
    }
  }
  const { ts, seq, readings } = value;
  if (ts !== undefined && !isEpochMs(ts)) return undefined;
  if (seq !== undefined && !(Number.isSafeInteger(seq) && (seq as number) >= 0)) return undefined;
  if (!Array.isArray(readings) || readings.length < 1 || readings.length > MAX_READINGS_PER_MESSAGE) {
    return undefined;
  }
  const items: DecodedItem[] = new Array(readings.length);
  for (let i = 0; i < readings.length; i += 1) {
    const reading = readings[i];
    if (!isWellFormedReading(reading)) return undefined;
    items[i] = { ok: true, path: READING_PATHS[i] as string, reading };
  }
  return {
    ok: true,
    deviceId: topicDeviceId,
    ...(ts !== undefined && { envelopeTs: ts as number }),
    ...(seq !== undefined && { seq: seq as number }),
    items,
  };
}

function isWellFormedReading(value: JsonValue | undefined): value is EnvelopeReading & JsonValue {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key !== 'metric' && key !== 'value' && key !== 'unit' && key !== 'ts' && key !== 'dims') return false;
  }
  const { metric, unit, ts, dims } = value;
  return (
    METRICS.has(metric) &&
    Number.isFinite(value.value) &&
    (unit === undefined ||
      (typeof unit === 'string' && unit.length >= UNIT_MIN && unit.length <= UNIT_MAX)) &&
    (ts === undefined || isEpochMs(ts)) &&
    (dims === undefined || isWellFormedDims(dims))
  );
}

function isWellFormedDims(value: JsonValue): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (key !== 'vehicleClass') return false;
  return value.vehicleClass === undefined || VEHICLE_CLASSES.has(value.vehicleClass);
}

export function isEpochMs(value: JsonValue): boolean {
  return Number.isSafeInteger(value) && (value as number) >= EPOCH_MIN && (value as number) <= EPOCH_MAX;
}

function isPlainObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
