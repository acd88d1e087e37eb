/**
 * InfluxDB line protocol for the indicator series (SCHEMA.md documents them). Points carry
 * millisecond timestamps; a point is identified by measurement, tags and time, so writing a
 * recomputed indicator again overwrites it.
 */

import {
  INDICATOR_MEASUREMENTS,
  type IndicatorMeasurement,
  type InfluxMeasurement,
  prefixedMeasurements,
} from '@terrapulse/contracts';

/** Measurements read from the influx-writer's schema. */
export const SOURCE_MEASUREMENTS = [
  'reading',
  'aggregate_1h',
  'aggregate_1d',
] as const satisfies readonly InfluxMeasurement[];
export type SourceMeasurement = (typeof SOURCE_MEASUREMENTS)[number];

export type MeasurementNames = Readonly<Record<IndicatorMeasurement | SourceMeasurement, string>>;

/** Names with the deployment prefix (INFLUX_MEASUREMENT_PREFIX), for reads and writes alike. */
export function measurementNames(prefix = ''): MeasurementNames {
  return prefixedMeasurements([...INDICATOR_MEASUREMENTS, ...SOURCE_MEASUREMENTS], prefix);
}

export type FieldValue = { readonly float: number } | { readonly int: number } | { readonly string: string };

export interface Point {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Epoch ms. */
  readonly time: number;
}

const TAG_SPECIAL = /[,= \\]/g;
const UNREPRESENTABLE = /[\n\r]/;

function escapeTag(value: string): string {
  if (UNREPRESENTABLE.test(value))
    throw new RangeError(`tag value with a line break: ${JSON.stringify(value)}`);
  return value.replace(TAG_SPECIAL, (c) => `\\${c}`);
}

function encodeField(value: FieldValue): string {
  if ('float' in value) {
    if (!Number.isFinite(value.float)) throw new RangeError(`field value ${value.float} is not finite`);
    // A plain number is a float in line protocol, integral or not.
    return String(value.float);
  }
  if ('int' in value) return `${Math.trunc(value.int)}i`;
  return `"${value.string.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** One line; tags sorted by key, empty tag values left out (InfluxDB refuses them). */
export function toLine(point: Point): string {
  const tags = Object.keys(point.tags)
    .filter((k) => point.tags[k] !== '')
    .sort()
    .map((k) => `,${escapeTag(k)}=${escapeTag(point.tags[k] ?? '')}`)
    .join('');
  const fields = Object.keys(point.fields)
    .sort()
    .map((k) => `${escapeTag(k)}=${encodeField(point.fields[k] as FieldValue)}`)
    .join(',');
  if (fields === '') throw new RangeError(`point of ${point.measurement} without a field`);
  return `${point.measurement.replace(/[, ]/g, (c) => `\\${c}`)}${tags} ${fields} ${Math.trunc(point.time)}`;
}
