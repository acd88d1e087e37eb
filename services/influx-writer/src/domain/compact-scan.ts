import { numberEnd, plainFloat, plainWhole } from './json-number.js';

/**
 * The scanner of the compact path (compact-line.ts): reads a reading or aggregate record as the
 * validator and the aggregator write it (JSON.stringify: compact, plain strings, dimensions as a
 * flat object of strings) once, noting where the fields a point needs lie, without JSON.parse.
 *
 * It accepts a text only when its fields are exactly what JSON.parse would give (no whitespace,
 * escapes, repeated needed key, literal or nested value but the dimensions): anything else makes
 * the record take the general path, which also words every refusal.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;
/** Slots of a key table (fieldTable): a power of two, over twice the keys of a stream. */
const TABLE_SLOTS = 64;

/** Fields the points need; the value is a bit of `seen` and an index in the positions. */
export const F = {
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
export type Field = (typeof F)[keyof typeof F];

type Kind = 'string' | 'dims' | 'float' | 'whole';
const KIND: Readonly<Record<Field, Kind>> = {
  0: 'string',
  1: 'string',
  2: 'string',
  3: 'string',
  4: 'string',
  5: 'string',
  6: 'dims',
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
const READING_FIELDS: readonly Field[] = [...SERIES, F.value, F.ts];
/** An aggregate's fields; consumption and resets are optional (cumulative indexes only). */
const AGGREGATE_REQUIRED_FIELDS: readonly Field[] = [
  ...SERIES,
  F.window,
  F.windowStart,
  F.count,
  F.sum,
  F.min,
  F.max,
  F.mean,
  F.last,
];
const READING: FieldTable = fieldTable(READING_FIELDS);
const AGGREGATE: FieldTable = fieldTable([...AGGREGATE_REQUIRED_FIELDS, F.consumption, F.resets]);
const mask = (fields: readonly Field[]) => fields.reduce((m: number, f) => m | (1 << f), 0);
const READING_REQUIRED = mask(READING_FIELDS);
const AGGREGATE_REQUIRED = mask(AGGREGATE_REQUIRED_FIELDS);

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
export const starts = new Int32Array(19);
export const ends = new Int32Array(19);
let seen = 0;
/** Float fields whose text is already what String() would write (see plainFloat). */
let plain = 0;

/**
 * Scans a record of the stream, noting where its fields lie (starts, ends, has, isPlain); false
 * when the record is not in the compact layout or lacks a field its point needs.
 */
export function scanRecord(stream: 'readings' | 'aggregates', text: string): boolean {
  const readings = stream === 'readings';
  if (!scanObject(text, readings ? READING : AGGREGATE)) return false;
  const required = readings ? READING_REQUIRED : AGGREGATE_REQUIRED;
  return (seen & required) === required;
}

/** The last record scanned holds the (optional) field. */
export const has = (f: Field): boolean => (seen & (1 << f)) !== 0;

/** The float field's text is what String() writes for its value (see plainFloat). */
export const isPlain = (f: Field): boolean => (plain & (1 << f)) !== 0;

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
    case 'dims':
      end = c === OPEN ? dimsEnd(text, at + 1) : -1;
      if (end < 0) return -1;
      break;
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

/**
 * Index past the dimensions object whose `{` precedes `from`: `{}` or `{"name":"value",...}` of
 * plain strings, or -1. Its text is the series tag cache's key; what the names and values are
 * worth as tags (empty, reserved, a backslash) is for seriesTags to decide on a cache miss.
 */
function dimsEnd(text: string, from: number): number {
  let i = from;
  if (text.charCodeAt(i) === CLOSE) return i + 1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    i = stringEnd(text, i + 1);
    if (i < 0 || text.charCodeAt(i + 1) !== COLON || text.charCodeAt(i + 2) !== QUOTE) return -1;
    i = stringEnd(text, i + 3);
    if (i < 0) return -1;
    const c = text.charCodeAt(i + 1);
    if (c === CLOSE) return i + 2;
    if (c !== COMMA) return -1;
    i += 2;
  }
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
