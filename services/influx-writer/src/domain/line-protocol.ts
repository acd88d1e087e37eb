/**
 * InfluxDB line protocol for Terrapulse records: the storage schema that dashboards, alerts and
 * tests query with InfluxQL (documented for humans in ../../SCHEMA.md; keep both in step).
 *
 * A point is identified by measurement, tag set and timestamp; writing the same identity again
 * replaces its fields. Every builder here is a pure function of the record, so a Kafka replay or
 * a recomputed aggregate window lands on the same point instead of adding one.
 *
 * Escaping follows InfluxDB 1.8's parser (checked against the real server):
 * - measurement: `,` and space are escaped;
 * - tag keys, tag values, field keys: `,`, `=` and space are escaped. A backslash cannot be
 *   escaped in a tag (1.8 has no `\\` escape there, and a trailing one swallows the separator),
 *   and a line break ends the line: such a tag is refused as unrepresentable;
 * - string field values: `"` and `\` are escaped; line breaks are allowed inside the quotes.
 * Tags are written sorted by key, which spares the server a sort per point.
 */

import {
  AGGREGATE_MEASUREMENTS,
  PIPELINE_MEASUREMENTS,
  type PipelineMeasurement,
  prefixedMeasurements,
} from '@terrapulse/contracts';

/** The measurements the writer stores: contracts' catalogue (influx-measurements.ts). */
export const MEASUREMENT_KINDS = PIPELINE_MEASUREMENTS;
export type MeasurementKind = PipelineMeasurement;

/** Name of each kind with the deployment's prefix (letters, digits and `_`: nothing to escape). */
export type MeasurementNames = Readonly<Record<MeasurementKind, string>>;

export function measurementNames(prefix = ''): MeasurementNames {
  return prefixedMeasurements(PIPELINE_MEASUREMENTS, prefix);
}

/** Window of an aggregate -> its measurement. */
export const AGGREGATE_MEASUREMENT: Readonly<Record<string, MeasurementKind>> = AGGREGATE_MEASUREMENTS;

/** Tag keys every reading and aggregate carries, sorted, with the record field each comes from. */
const SERIES_TAGS = [
  ['device', 'deviceId'],
  ['domain', 'domain'],
  ['metric', 'metric'],
  ['site', 'site'],
  ['tenant', 'tenant'],
  ['unit', 'unit'],
] as const;

/**
 * Names a dimension cannot take: a tag with the name of another tag or of a field would make two
 * columns answer to one name in InfluxQL (and `time` is refused by InfluxDB).
 */
export const RESERVED_TAG_KEYS: ReadonlySet<string> = new Set([
  ...SERIES_TAGS.map(([key]) => key),
  'time',
  'value',
  'count',
  'sum',
  'min',
  'max',
  'mean',
  'last',
  'consumption',
  'resets',
  'reason',
  'detail',
]);

/** Largest epoch millisecond whose nanosecond timestamp fits InfluxDB's int64 (year 2262). */
export const MAX_TIMESTAMP_MS = 9_223_372_036_854;

const NEEDS_MEASUREMENT_ESCAPE = /[, ]/;
const UNREPRESENTABLE_IN_TAG = /[\\\n\r]/;
/** What needs escaping (`,`, `=`, space) or cannot be carried: one test clears plain identifiers. */
const SPECIAL_IN_TAG = /[,= \\\n\r]/;
const NEEDS_STRING_ESCAPE = /["\\]/;

export function escapeMeasurement(name: string): string {
  return NEEDS_MEASUREMENT_ESCAPE.test(name) ? name.replace(/[, ]/g, '\\$&') : name;
}

/** A tag key or value escaped for line protocol, or undefined when it cannot be carried. */
export function tagText(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  if (!SPECIAL_IN_TAG.test(text)) return text;
  return UNREPRESENTABLE_IN_TAG.test(text) ? undefined : text.replace(/[,= ]/g, '\\$&');
}

/** The inside of a double-quoted string field. */
export function escapeStringField(text: string): string {
  return NEEDS_STRING_ESCAPE.test(text) ? text.replace(/["\\]/g, '\\$&') : text;
}

/** A float field value; the caller guarantees a finite number. `1` stays a float (no `i`). */
export function formatFloat(value: number): string {
  return String(value);
}

/** Epoch milliseconds as a nanosecond timestamp, without going through floating point. */
export function msToNs(ms: number): string {
  return ms === 0 ? '0' : `${ms}000000`;
}

export function isStorableTimestampMs(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_TIMESTAMP_MS;
}

export type LineResult =
  | { readonly ok: true; readonly line: string; readonly measurement: MeasurementKind }
  | { readonly ok: false; readonly problem: string };

const problem = (text: string): LineResult => ({ ok: false, problem: text });

/** The fields of a reading or an aggregate that name its series. */
export interface SeriesIdentity {
  readonly deviceId: string;
  readonly tenant: string;
  readonly site: string;
  readonly domain: string;
  readonly metric: string;
  readonly unit: string;
  readonly dims: Readonly<Record<string, string>>;
}

/**
 * `,tag=value...` for a series, sorted by key, or a problem when a tag cannot be written
 * faithfully. Without dimensions (most metrics) the fixed order needs no sort.
 */
export function seriesTags(s: SeriesIdentity): string | { problem: string } {
  let tags = '';
  for (const [key, field] of SERIES_TAGS) {
    const value = tagText(s[field]);
    if (value === undefined) return { problem: `tag ${key} is empty or holds a backslash or line break` };
    tags += `,${key}=${value}`;
  }
  const dimNames = Object.keys(s.dims);
  if (dimNames.length === 0) return tags;

  // [raw key, escaped pair], sorted by raw key as InfluxDB sorts them.
  const pairs = SERIES_TAGS.map(([key, field]): [string, string] => [key, `${key}=${tagText(s[field])}`]);
  for (const name of dimNames) {
    if (RESERVED_TAG_KEYS.has(name))
      return { problem: `dimension ${name} collides with a reserved tag or field` };
    const key = tagText(name);
    const value = tagText(s.dims[name]);
    if (key === undefined || value === undefined) {
      return { problem: `dimension ${name} is empty or holds a backslash or line break` };
    }
    pairs.push([name, `${key}=${value}`]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  tags = '';
  for (const [, pair] of pairs) tags += `,${pair}`;
  return tags;
}

/** What a reading point needs; a contract NormalizedReading is one. */
export interface ReadingPoint extends SeriesIdentity {
  readonly value: number;
  readonly ts: number;
}

export function readingLine(r: ReadingPoint, names: MeasurementNames): LineResult {
  if (!Number.isFinite(r.value)) return problem('value is not a finite number');
  if (!isStorableTimestampMs(r.ts)) return problem(`ts ${r.ts} is outside InfluxDB's time range`);
  const tags = seriesTags(r);
  if (typeof tags !== 'string') return problem(tags.problem);
  return {
    ok: true,
    line: `${names.reading}${tags} value=${formatFloat(r.value)} ${msToNs(r.ts)}`,
    measurement: 'reading',
  };
}

/** What an aggregate point needs; a contract Aggregate is one. */
export interface AggregatePoint extends SeriesIdentity {
  readonly window: string;
  readonly windowStart: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly last: number;
  readonly consumption?: number | undefined;
  /** Counter resets seen in the consumption chain; not in the contract yet (see SCHEMA.md). */
  readonly resets?: number | undefined;
}

/**
 * Fields are always written in full: InfluxDB merges the fields of a rewritten point, so a field
 * left out of a recomputed window would keep its previous value. `consumption` and `resets`
 * exist for cumulative indexes only, where the aggregator emits them on every computation.
 */
export function aggregateLine(a: AggregatePoint, names: MeasurementNames): LineResult {
  const measurement = AGGREGATE_MEASUREMENT[a.window];
  if (measurement === undefined) return problem(`unknown window ${a.window}`);
  if (!isStorableTimestampMs(a.windowStart)) return problem(`windowStart ${a.windowStart} is out of range`);
  if (!Number.isSafeInteger(a.count) || a.count < 0) return problem('count is not a whole number');
  const stats = [a.sum, a.min, a.max, a.mean, a.last];
  if (!stats.every(Number.isFinite)) return problem('a statistic is not a finite number');
  const tags = seriesTags(a);
  if (typeof tags !== 'string') return problem(tags.problem);
  let fields =
    `count=${a.count}i,sum=${formatFloat(a.sum)},min=${formatFloat(a.min)},max=${formatFloat(a.max)}` +
    `,mean=${formatFloat(a.mean)},last=${formatFloat(a.last)}`;
  if (a.consumption !== undefined) {
    if (!Number.isFinite(a.consumption)) return problem('consumption is not a finite number');
    fields += `,consumption=${formatFloat(a.consumption)}`;
  }
  if (a.resets !== undefined) {
    if (!Number.isSafeInteger(a.resets) || a.resets < 0) return problem('resets is not a whole number');
    fields += `,resets=${a.resets}i`;
  }
  return { ok: true, line: `${names[measurement]}${tags} ${fields} ${msToNs(a.windowStart)}`, measurement };
}

/** What a rejection point needs: the counting key, the text, and its nanosecond timestamp. */
export interface RejectionPoint {
  readonly reason: string;
  readonly device: string;
  readonly detail: string;
  /** See rejection-timestamp.ts: receivedAt plus a sub-millisecond discriminator. */
  readonly timestampNs: string;
}

export function rejectionLine(r: RejectionPoint, names: MeasurementNames): LineResult {
  const device = tagText(r.device);
  const reason = tagText(r.reason);
  if (device === undefined || reason === undefined) {
    return problem('reason or device is empty or holds a backslash or line break');
  }
  return {
    ok: true,
    line:
      `${names.rejection},device=${device},reason=${reason} ` +
      `count=1i,detail="${escapeStringField(r.detail)}" ${r.timestampNs}`,
    measurement: 'rejection',
  };
}
