import { ends, F, type Field, has, isPlain, scanRecord, starts } from './compact-scan.js';
import { MAX_TIMESTAMP_MS, type MeasurementKind, type MeasurementNames } from './line-protocol.js';
import { type LineWriter, OneLine } from './line-writer.js';
import { NO_DIMS_TEXT, type SeriesTagCache } from './series-tag-cache.js';

/**
 * A shortcut past JSON.parse for readings and aggregates as the validator and the aggregator
 * write them (JSON.stringify: compact, plain strings, dimensions as a flat object of strings).
 *
 * Why: JSON.parse, the objects it builds and String() of every float were half of the writer's
 * own CPU. The scanner (compact-scan.ts) reads the text once, noting where the fields a point
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
  const measurement = writeCompactLine(stream, text, measurementBytes(names), tags, oneLine);
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
  text: string,
  names: MeasurementBytes,
  tags: SeriesTagCache,
  lines: LineWriter,
): MeasurementKind | undefined {
  if (!scanRecord(stream, text)) return undefined;
  const measurement = stream === 'readings' ? 'reading' : windowMeasurement(text);
  if (measurement === undefined) return undefined;
  const series = tags.series(
    field(text, F.deviceId),
    field(text, F.tenant),
    field(text, F.site),
    field(text, F.domain),
    field(text, F.metric),
    field(text, F.unit),
    (ends[F.dims] ?? 0) - (starts[F.dims] ?? 0) === 2 ? NO_DIMS_TEXT : field(text, F.dims),
  )?.bytes;
  if (series === undefined) return undefined;
  const name = names[measurement];
  out = lines.room(name.length + series.length + text.length + LINE_SLACK);
  at = lines.start;
  put(name);
  put(series);
  if (!(stream === 'readings' ? readingFields(text) : aggregateFields(text))) return undefined;
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
function readingFields(text: string): boolean {
  put(VALUE);
  return float(text, F.value) && timestampNs(text, F.ts);
}

/** ` count=...i,sum=...,last=...[,consumption=...][,resets=...i] ts` of an aggregate. */
function aggregateFields(text: string): boolean {
  put(COUNT);
  copy(text, F.count);
  put(SUM);
  if (!float(text, F.sum)) return false;
  put(MIN);
  if (!float(text, F.min)) return false;
  put(MAX);
  if (!float(text, F.max)) return false;
  put(MEAN);
  if (!float(text, F.mean)) return false;
  put(LAST);
  if (!float(text, F.last)) return false;
  if (has(F.consumption)) {
    put(CONSUMPTION);
    if (!float(text, F.consumption)) return false;
  }
  if (has(F.resets)) {
    put(RESETS);
    copy(text, F.resets);
    put(INTEGER);
  }
  return timestampNs(text, F.windowStart);
}

/** The measurement of the aggregate's window, read in place. */
function windowMeasurement(text: string): MeasurementKind | undefined {
  const start = starts[F.window] ?? 0;
  const length = (ends[F.window] ?? 0) - start;
  if (length === 3 && text.startsWith('15m', start)) return 'aggregate_15m';
  if (length === 2 && text.startsWith('1h', start)) return 'aggregate_1h';
  if (length === 2 && text.startsWith('1d', start)) return 'aggregate_1d';
  return undefined;
}

const field = (text: string, f: Field) => text.slice(starts[f], ends[f]);

function put(bytes: Buffer): void {
  out.set(bytes, at);
  at += bytes.length;
}

/** Copies a field's text, a JSON number, hence ASCII: one byte per character. */
function copy(text: string, f: Field): void {
  const end = ends[f] ?? 0;
  for (let i = starts[f] ?? 0; i < end; i++) out[at++] = text.charCodeAt(i);
}

/**
 * formatFloat of a float field: its own text when plain, else the parsed value formatted (Number
 * reads a JSON number text to the same double as JSON.parse; String writes ASCII); false when
 * not finite.
 */
function float(text: string, f: Field): boolean {
  if (isPlain(f)) {
    copy(text, f);
    return true;
  }
  const value = Number(field(text, f));
  if (!Number.isFinite(value)) return false;
  const formatted = String(value);
  for (let i = 0; i < formatted.length; i++) out[at++] = formatted.charCodeAt(i);
  return true;
}

/** ` ` and msToNs of a whole-number field within InfluxDB's range (its text is its digits). */
function timestampNs(text: string, f: Field): boolean {
  const start = starts[f] ?? 0;
  const end = ends[f] ?? 0;
  let ms = 0;
  for (let i = start; i < end; i++) ms = ms * 10 + (text.charCodeAt(i) - ZERO);
  if (ms > MAX_TIMESTAMP_MS) return false;
  out[at++] = SPACE;
  if (ms === 0) {
    out[at++] = ZERO;
    return true;
  }
  copy(text, f);
  put(NS_PER_MS);
  return true;
}
