import { scanRecord } from './compact-scan.js';
import { MAX_TIMESTAMP_MS, type MeasurementKind, type MeasurementNames } from './line-protocol.js';
import { type LineWriter, OneLine } from './line-writer.js';
import { ends, F, type Field, has, isPlain, starts } from './record-fields.js';
import type { SeriesTagCache } from './series-tag-cache.js';

/**
 * A shortcut past JSON.parse for readings and aggregates as the validator and the aggregator
 * write them (JSON.stringify: compact, plain strings, dimensions as a flat object of strings).
 *
 * Why: JSON.parse, the objects it builds and String() of every float were half of the writer's
 * own CPU. The scanner (compact-scan.ts) reads the record's bytes once, noting where the fields a point
 * needs lie; the line is then written byte by byte into the batch: the measurement name and the
 * series tag set from caches, number texts copied instead of parsed and formatted again.
 *
 * It answers only when it can prove its line is byte-identical to the general path's
 * (encodeRecord): anything else (whitespace, escapes, a repeated key, a literal, a
 * nested value, a number whose text String() would not give back) returns undefined and the
 * record takes the general path, which also words every refusal. A float's text is copied as is
 * when it is plain decimal with at most 15 significant digits and no superfluous zero: any two
 * such decimals are different doubles, so String() of the parsed value, the shortest decimal
 * that reads back the same, is that very text. Other floats (a mean of 17 digits) are parsed and
 * formatted as the general path does.
 */

const ZERO = 48;
const ONE = 49;
const FIVE = 53;
const LOWER_D = 100;
const LOWER_H = 104;
const LOWER_M = 109;

export interface CompactLine {
  readonly ok: true;
  readonly line: string;
  readonly measurement: MeasurementKind;
}

/** Measurement names as UTF-8 bytes, copied into every line. */
export type MeasurementBytes = Readonly<Record<MeasurementKind, Buffer>>;

export function measurementBytes(names: MeasurementNames): MeasurementBytes {
  const bytes = {} as Record<MeasurementKind, Buffer>;
  for (const kind of Object.keys(names) as MeasurementKind[]) bytes[kind] = Buffer.from(names[kind]);
  return bytes;
}

const oneLine = new OneLine();

/** writeCompactLine as a string, for tests and one-off use. */
export function compactLine(
  stream: 'readings' | 'aggregates',
  text: string,
  names: MeasurementNames,
  tags: SeriesTagCache,
): CompactLine | undefined {
  const record = Buffer.from(text);
  const measurement = writeCompactLine(stream, record, measurementBytes(names), tags, oneLine);
  return measurement === undefined ? undefined : { ok: true, line: oneLine.line, measurement };
}

/**
 * Room a line needs past its name, tag set and the record's text (which holds every number text
 * copied): up to 7 floats formatted anew (25 characters at most each) and the field names.
 */
const LINE_SLACK = 300;

/** The line being written and where the next byte goes (the scan is synchronous). */
let out: Buffer = Buffer.alloc(0);
let at = 0;

/**
 * Writes the line of a reading or aggregate record to `lines` and answers its measurement, or
 * answers undefined, writing nothing, when the general path must decide.
 */
export function writeCompactLine(
  stream: 'readings' | 'aggregates',
  record: Buffer,
  names: MeasurementBytes,
  tags: SeriesTagCache,
  lines: LineWriter,
): MeasurementKind | undefined {
  if (!scanRecord(stream, record)) return undefined;
  const measurement = stream === 'readings' ? 'reading' : windowMeasurement(record);
  if (measurement === undefined) return undefined;
  // The series fields come first in F, in the order seriesIn takes them.
  const series = tags.seriesIn(record, starts, ends)?.bytes;
  if (series === undefined) return undefined;
  const name = names[measurement];
  out = lines.room(name.length + series.length + record.length + LINE_SLACK);
  at = lines.start;
  put(name);
  put(series);
  if (!(stream === 'readings' ? readingFields(record) : aggregateFields(record))) return undefined;
  lines.commit(at, measurement);
  return measurement;
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
const VALUE = ascii(' value=');
const COUNT = ascii(' count=');
const SUM = ascii('i,sum=');
const MIN = ascii(',min=');
const MAX = ascii(',max=');
const MEAN = ascii(',mean=');
const LAST = ascii(',last=');
const CONSUMPTION = ascii(',consumption=');
const RESETS = ascii(',resets=');
const INTEGER = ascii('i');
const NS_PER_MS = ascii('000000');
const SPACE = 32;

/** ` value=... ts` of a reading: false when a number cannot be written. */
function readingFields(record: Buffer): boolean {
  put(VALUE);
  return float(record, F.value) && timestampNs(record, F.ts);
}

/** ` count=...i,sum=...,last=...[,consumption=...][,resets=...i] ts` of an aggregate. */
function aggregateFields(record: Buffer): boolean {
  put(COUNT);
  copy(record, F.count);
  put(SUM);
  if (!float(record, F.sum)) return false;
  put(MIN);
  if (!float(record, F.min)) return false;
  put(MAX);
  if (!float(record, F.max)) return false;
  put(MEAN);
  if (!float(record, F.mean)) return false;
  put(LAST);
  if (!float(record, F.last)) return false;
  if (has(F.consumption)) {
    put(CONSUMPTION);
    if (!float(record, F.consumption)) return false;
  }
  if (has(F.resets)) {
    put(RESETS);
    copy(record, F.resets);
    put(INTEGER);
  }
  return timestampNs(record, F.windowStart);
}

/** The measurement of the aggregate's window, read in place. */
function windowMeasurement(record: Buffer): MeasurementKind | undefined {
  const start = starts[F.window] ?? 0;
  const length = (ends[F.window] ?? 0) - start;
  const c0 = record[start];
  const c1 = record[start + 1];
  if (length === 3 && c0 === ONE && c1 === FIVE && record[start + 2] === LOWER_M) return 'aggregate_15m';
  if (length === 2 && c0 === ONE && c1 === LOWER_H) return 'aggregate_1h';
  if (length === 2 && c0 === ONE && c1 === LOWER_D) return 'aggregate_1d';
  return undefined;
}

function put(bytes: Buffer): void {
  out.set(bytes, at);
  at += bytes.length;
}

/** Copies a field's bytes (a JSON number's, ASCII). */
function copy(record: Buffer, f: Field): void {
  const end = ends[f] ?? 0;
  for (let i = starts[f] ?? 0; i < end; i++) out[at++] = record[i] ?? 0;
}

/**
 * formatFloat of a float field: its own text when plain, else the parsed value formatted (Number
 * reads a JSON number text to the same double as JSON.parse; String writes ASCII); false when
 * not finite.
 */
function float(record: Buffer, f: Field): boolean {
  if (isPlain(f)) {
    copy(record, f);
    return true;
  }
  const value = Number(record.toString('latin1', starts[f], ends[f]));
  if (!Number.isFinite(value)) return false;
  const formatted = String(value);
  for (let i = 0; i < formatted.length; i++) out[at++] = formatted.charCodeAt(i);
  return true;
}

/** ` ` and msToNs of a whole-number field within InfluxDB's range (its text is its digits). */
function timestampNs(record: Buffer, f: Field): boolean {
  const start = starts[f] ?? 0;
  const end = ends[f] ?? 0;
  let ms = 0;
  for (let i = start; i < end; i++) ms = ms * 10 + ((record[i] ?? 0) - ZERO);
  if (ms > MAX_TIMESTAMP_MS) return false;
  out[at++] = SPACE;
  if (ms === 0) {
    out[at++] = ZERO;
    return true;
  }
  copy(record, f);
  put(NS_PER_MS);
  return true;
}
