import { numberEnd, plainFloat, plainWhole } from './json-number.js';
import { MAX_TIMESTAMP_MS, type MeasurementKind, type MeasurementNames } from './line-protocol.js';
import type { SeriesTagCache } from './series-tag-cache.js';

/**
 * A shortcut past JSON.parse for readings and aggregates as the validator and the aggregator
 * write them (JSON.stringify: compact, plain strings, no dimensions for most metrics).
 *
 * Why: JSON.parse, the objects it builds and String() of every float were half of the writer's
 * own CPU. This scanner reads the text once, keeps only the fields a point needs, and copies
 * number texts straight into the line instead of parsing and formatting them again.
 *
 * It answers only when it can prove its line is byte-identical to the general path's
 * (encodeRecord): anything else (whitespace, escapes, dimensions, a repeated key, a literal, a
 * nested value, a number whose text String() would not give back) returns undefined and the
 * record takes the general path, which also words every refusal. A float's text is copied as is
 * when it is plain decimal with at most 15 significant digits and no superfluous zero: any two
 * such decimals are different doubles, so String() of the parsed value, the shortest decimal
 * that reads back the same, is that very text. Other floats (a mean of 17 digits) are parsed and
 * formatted as the general path does.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;
const ZERO = 48;
/** Slots of a key table (fieldTable): a power of two, over twice the keys of a stream. */
const TABLE_SLOTS = 64;

/** Fields the points need; the value is a bit of `seen` and an index in the positions. */
const F = {
  deviceId: 0,
  tenant: 1,
  site: 2,
  domain: 3,
  metric: 4,
  unit: 5,
  dims: 6,
  window: 7,
  value: 8,
  ts: 9,
  windowStart: 10,
  count: 11,
  sum: 12,
  min: 13,
  max: 14,
  mean: 15,
  last: 16,
  consumption: 17,
  resets: 18,
} as const;
type Field = (typeof F)[keyof typeof F];

type Kind = 'string' | 'empty-object' | 'float' | 'whole';
const KIND: Readonly<Record<Field, Kind>> = {
  0: 'string',
  1: 'string',
  2: 'string',
  3: 'string',
  4: 'string',
  5: 'string',
  6: 'empty-object',
  7: 'string',
  8: 'float',
  9: 'whole',
  10: 'whole',
  11: 'whole',
  12: 'float',
  13: 'float',
  14: 'float',
  15: 'float',
  16: 'float',
  17: 'float',
  18: 'whole',
};

const SERIES: readonly Field[] = [F.deviceId, F.tenant, F.site, F.domain, F.metric, F.unit, F.dims];
const READING: FieldTable = fieldTable([...SERIES, F.value, F.ts]);
const AGGREGATE: FieldTable = fieldTable([
  ...SERIES,
  F.window,
  F.windowStart,
  F.count,
  F.sum,
  F.min,
  F.max,
  F.mean,
  F.last,
  F.consumption,
  F.resets,
]);
const mask = (fields: readonly Field[]) => fields.reduce((m: number, f) => m | (1 << f), 0);
const READING_REQUIRED = mask([...SERIES, F.value, F.ts]);
const AGGREGATE_REQUIRED = mask([
  ...SERIES,
  F.window,
  F.windowStart,
  F.count,
  F.sum,
  F.min,
  F.max,
  F.mean,
  F.last,
]);

/**
 * Key hash -> field, open addressing: a key is matched by the hash its scan computes on the way
 * (keyEnd) and one comparison in place, without cutting a string out of the text for every key.
 */
interface FieldTable {
  readonly hashes: Int32Array;
  /** Field + 1; 0 marks an empty slot. */
  readonly fields: Int8Array;
  readonly names: string[];
}
function fieldTable(fields: readonly Field[]): FieldTable {
  const table: FieldTable = {
    hashes: new Int32Array(TABLE_SLOTS),
    fields: new Int8Array(TABLE_SLOTS),
    names: new Array<string>(TABLE_SLOTS).fill(''),
  };
  for (const [name, field] of Object.entries(F) as Array<[string, Field]>) {
    if (!fields.includes(field)) continue;
    const hash = keyHashOf(name);
    let slot = hash & (TABLE_SLOTS - 1);
    while (table.fields[slot] !== 0) slot = (slot + 1) & (TABLE_SLOTS - 1);
    table.hashes[slot] = hash;
    table.fields[slot] = field + 1;
    table.names[slot] = name;
  }
  return table;
}

/** The field whose key lies in text[from, to) (its hash computed by keyEnd), or -1. */
function lookUp(table: FieldTable, text: string, from: number, to: number, hash: number): number {
  for (let slot = hash & (TABLE_SLOTS - 1); ; slot = (slot + 1) & (TABLE_SLOTS - 1)) {
    const field = table.fields[slot] ?? 0;
    if (field === 0) return -1;
    if (table.hashes[slot] !== hash) continue;
    const name = table.names[slot] ?? '';
    return name.length === to - from && text.startsWith(name, from) ? field - 1 : -1;
  }
}

function keyHashOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Start and end of each field's value in the text of the record being scanned. Reused from one
 * record to the next (the scan is synchronous), so a record allocates only the strings it keeps.
 */
const starts = new Int32Array(19);
const ends = new Int32Array(19);
let seen = 0;
/** Float fields whose text is already what String() would write (see plainFloat). */
let plain = 0;

export interface CompactLine {
  readonly ok: true;
  readonly line: string;
  readonly measurement: MeasurementKind;
}

/** The line of a reading or aggregate record, or undefined when the general path must decide. */
export function compactLine(
  stream: 'readings' | 'aggregates',
  text: string,
  names: MeasurementNames,
  tags: SeriesTagCache,
): CompactLine | undefined {
  const fields = stream === 'readings' ? READING : AGGREGATE;
  if (!scanObject(text, fields)) return undefined;
  const required = stream === 'readings' ? READING_REQUIRED : AGGREGATE_REQUIRED;
  if ((seen & required) !== required) return undefined;
  const series = tags.tags(
    field(text, F.deviceId),
    field(text, F.tenant),
    field(text, F.site),
    field(text, F.domain),
    field(text, F.metric),
    field(text, F.unit),
  );
  if (series === undefined) return undefined;
  return stream === 'readings' ? readingLine(text, names, series) : aggregateLine(text, names, series);
}

function readingLine(text: string, names: MeasurementNames, series: string): CompactLine | undefined {
  const value = float(text, F.value);
  const ts = timestampNs(text, F.ts);
  if (value === undefined || ts === undefined) return undefined;
  return { ok: true, line: `${names.reading}${series} value=${value} ${ts}`, measurement: 'reading' };
}

function aggregateLine(text: string, names: MeasurementNames, series: string): CompactLine | undefined {
  const measurement = windowMeasurement(field(text, F.window));
  const ts = timestampNs(text, F.windowStart);
  const sum = float(text, F.sum);
  const min = float(text, F.min);
  const max = float(text, F.max);
  const mean = float(text, F.mean);
  const last = float(text, F.last);
  if (measurement === undefined || ts === undefined) return undefined;
  if (
    sum === undefined ||
    min === undefined ||
    max === undefined ||
    mean === undefined ||
    last === undefined
  ) {
    return undefined;
  }
  let fields = `count=${field(text, F.count)}i,sum=${sum},min=${min},max=${max},mean=${mean},last=${last}`;
  if ((seen & (1 << F.consumption)) !== 0) {
    const consumption = float(text, F.consumption);
    if (consumption === undefined) return undefined;
    fields += `,consumption=${consumption}`;
  }
  if ((seen & (1 << F.resets)) !== 0) fields += `,resets=${field(text, F.resets)}i`;
  return { ok: true, line: `${names[measurement]}${series} ${fields} ${ts}`, measurement };
}

function windowMeasurement(window: string): MeasurementKind | undefined {
  switch (window) {
    case '15m':
      return 'aggregate_15m';
    case '1h':
      return 'aggregate_1h';
    case '1d':
      return 'aggregate_1d';
    default:
      return undefined;
  }
}

const field = (text: string, f: Field) => text.slice(starts[f], ends[f]);

/**
 * formatFloat of a float field: its own text when plain, else the parsed value formatted (Number
 * reads a JSON number text to the same double as JSON.parse); undefined when not finite.
 */
function float(text: string, f: Field): string | undefined {
  if ((plain & (1 << f)) !== 0) return field(text, f);
  const value = Number(field(text, f));
  return Number.isFinite(value) ? String(value) : undefined;
}

/** msToNs of a whole-number field within InfluxDB's range (its text is its decimal digits). */
function timestampNs(text: string, f: Field): string | undefined {
  const start = starts[f] ?? 0;
  const end = ends[f] ?? 0;
  let ms = 0;
  for (let i = start; i < end; i++) ms = ms * 10 + (text.charCodeAt(i) - ZERO);
  if (ms > MAX_TIMESTAMP_MS) return undefined;
  return ms === 0 ? '0' : `${text.slice(start, end)}000000`;
}

/** Scans `{"key":value,...}` to its end, noting where the fields of `fields` lie. */
function scanObject(text: string, fields: FieldTable): boolean {
  seen = 0;
  plain = 0;
  if (text.charCodeAt(0) !== OPEN) return false;
  let i = 1;
  if (text.charCodeAt(i) === CLOSE) return i + 1 === text.length;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return false;
    const end = keyEnd(text, i + 1);
    if (end < 0 || text.charCodeAt(end + 1) !== COLON) return false;
    const f = lookUp(fields, text, i + 1, end, keyHash);
    i = f < 0 ? skipValue(text, end + 2) : fieldValue(text, end + 2, f as Field);
    if (i < 0) return false;
    const c = text.charCodeAt(i);
    if (c === CLOSE) return i + 1 === text.length;
    if (c !== COMMA) return false;
    i++;
  }
}

/** Notes a needed field's value, of the kind the point needs; the index past it, or -1. */
function fieldValue(text: string, at: number, f: Field): number {
  const bit = 1 << f;
  if ((seen & bit) !== 0) return -1; // JSON.parse keeps the last one: let it decide
  seen |= bit;
  const c = text.charCodeAt(at);
  let end: number;
  switch (KIND[f]) {
    case 'string':
      if (c !== QUOTE) return -1;
      end = stringEnd(text, at + 1);
      starts[f] = at + 1;
      ends[f] = end;
      return end < 0 ? -1 : end + 1;
    case 'empty-object':
      return c === OPEN && text.charCodeAt(at + 1) === CLOSE ? at + 2 : -1;
    case 'float':
      end = numberEnd(text, at);
      if (end < 0) return -1;
      if (plainFloat(text, at)) plain |= bit;
      break;
    case 'whole':
      end = numberEnd(text, at);
      if (end < 0 || !plainWhole()) return -1;
      break;
  }
  starts[f] = at;
  ends[f] = end;
  return end;
}

/** Skips a value the point does not need: a plain string or a number, nothing else. */
function skipValue(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return numberEnd(text, at);
  const end = stringEnd(text, at + 1);
  return end < 0 ? -1 : end + 1;
}

let keyHash = 0;

/** stringEnd of a key, computing its keyHashOf on the way. */
function keyEnd(text: string, from: number): number {
  let hash = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      keyHash = hash;
      return i;
    }
    if (c === BACKSLASH || c < 0x20) return -1;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  return -1;
}

/** Index of the quote closing a string without escapes or control characters, or -1. */
function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}
