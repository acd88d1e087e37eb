import { byteAt, CLOSE, COLON, COMMA, keyEnd, keyHash, keyHashOf, OPEN, QUOTE } from './json-string.js';
import { scanLayout } from './layout-scan.js';
import { F, type Field, fieldValue, forgetFields, hasAll, mask, SERIES, skipValue } from './record-fields.js';

/**
 * The scanner of the compact path (compact-line.ts): reads a reading or aggregate record as the
 * validator and the aggregator write it (JSON.stringify: compact, plain strings, dimensions as a
 * flat object of strings) once, noting where the fields a point needs lie (record-fields.ts),
 * without JSON.parse. A record in its producer's very layout is read by layout-scan.ts; any
 * other, keys in any order, by the general scan here.
 *
 * It reads the record's UTF-8 bytes as they come from Kafka, without decoding them to a string:
 * the line is made of bytes too, and the few strings it needs (a new series) are decoded then.
 * The JSON structure is ASCII, and a UTF-8 byte of a multi-byte character is never ASCII, so
 * quotes, colons and commas are found at the same places as in the decoded text, and a string's
 * bytes decode alone to the characters the whole text holds there.
 *
 * It accepts a text only when its fields are exactly what JSON.parse would give (no whitespace,
 * escapes, repeated needed key, literal or nested value but the dimensions): anything else makes
 * the record take the general path, which also words every refusal.
 */

/** Slots of a key table (fieldTable): a power of two, over twice the keys of a stream. */
const TABLE_SLOTS = 64;
const NO_NAME = new Uint8Array(0);

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
  /** The key of each slot, as bytes (ASCII). */
  readonly names: Uint8Array[];
}
function fieldTable(fields: readonly Field[]): FieldTable {
  const table: FieldTable = {
    hashes: new Int32Array(TABLE_SLOTS),
    fields: new Int8Array(TABLE_SLOTS),
    names: new Array<Uint8Array>(TABLE_SLOTS).fill(NO_NAME),
  };
  for (const [name, field] of Object.entries(F) as Array<[string, Field]>) {
    if (!fields.includes(field)) continue;
    const hash = keyHashOf(name);
    let slot = hash & (TABLE_SLOTS - 1);
    while (table.fields[slot] !== 0) slot = (slot + 1) & (TABLE_SLOTS - 1);
    table.hashes[slot] = hash;
    table.fields[slot] = field + 1;
    table.names[slot] = Buffer.from(name, 'latin1');
  }
  return table;
}

/** The field whose key lies in bytes[from, to) (its hash computed by keyEnd), or -1. */
function lookUp(table: FieldTable, bytes: Uint8Array, from: number, to: number, hash: number): number {
  for (let slot = hash & (TABLE_SLOTS - 1); ; slot = (slot + 1) & (TABLE_SLOTS - 1)) {
    const field = table.fields[slot] ?? 0;
    if (field === 0) return -1;
    if (table.hashes[slot] !== hash) continue;
    const name = table.names[slot] ?? NO_NAME;
    if (name.length !== to - from) return -1;
    for (let i = 0; i < name.length; i++) if (name[i] !== bytes[from + i]) return -1;
    return field - 1;
  }
}

/**
 * Scans a record of the stream, noting where its fields lie (record-fields.ts); false when the
 * record is not in the compact layout or lacks a field its point needs.
 */
export function scanRecord(stream: 'readings' | 'aggregates', bytes: Uint8Array): boolean {
  const readings = stream === 'readings';
  if (!scanLayout(stream, bytes) && !scanObject(bytes, readings ? READING : AGGREGATE)) return false;
  return hasAll(readings ? READING_REQUIRED : AGGREGATE_REQUIRED);
}

/** Scans `{"key":value,...}` to its end, noting where the fields of `fields` lie. */
function scanObject(bytes: Uint8Array, fields: FieldTable): boolean {
  forgetFields();
  if (byteAt(bytes, 0) !== OPEN) return false;
  let i = 1;
  if (byteAt(bytes, i) === CLOSE) return i + 1 === bytes.length;
  for (;;) {
    if (byteAt(bytes, i) !== QUOTE) return false;
    const end = keyEnd(bytes, i + 1);
    if (end < 0 || byteAt(bytes, end + 1) !== COLON) return false;
    const f = lookUp(fields, bytes, i + 1, end, keyHash);
    i = f < 0 ? skipValue(bytes, end + 2) : fieldValue(bytes, end + 2, f as Field);
    if (i < 0) return false;
    const c = byteAt(bytes, i);
    if (c === CLOSE) return i + 1 === bytes.length;
    if (c !== COMMA) return false;
    i++;
  }
}
