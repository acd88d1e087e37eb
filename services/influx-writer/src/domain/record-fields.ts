import { numberEnd, plainFloat, plainWhole } from './json-number.js';
import { byteAt, dimsEnd, OPEN, QUOTE, stringEnd } from './json-string.js';

/**
 * The fields of a reading or aggregate record a point needs, and where the compact scans
 * (layout-scan.ts, compact-scan.ts) found them in the record's bytes, for compact-line.ts.
 */

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

/** The fields of a series, first in F, in the order the series tag cache takes them. */
export const SERIES: readonly Field[] = [F.deviceId, F.tenant, F.site, F.domain, F.metric, F.unit, F.dims];

export const mask = (fields: readonly Field[]): number => fields.reduce((m: number, f) => m | (1 << f), 0);

/**
 * Start and end of each field's value in the bytes of the record being scanned (a string's
 * without its quotes). Reused from one record to the next (the scan is synchronous), so a record
 * allocates nothing.
 */
export const starts = new Int32Array(19);
export const ends = new Int32Array(19);
/** Fields noted since the last forgetFields. */
let seen = 0;
/** Float fields whose text is already what String() would write (see plainFloat). */
let plain = 0;

/** Starts a record. */
export function forgetFields(): void {
  seen = 0;
  plain = 0;
}

/** The fields noted hold every field of `required` (a mask). */
export const hasAll = (required: number): boolean => (seen & required) === required;

/** The last record scanned holds the (optional) field. */
export const has = (f: Field): boolean => (seen & (1 << f)) !== 0;

/** The float field's text is what String() writes for its value (see plainFloat). */
export const isPlain = (f: Field): boolean => (plain & (1 << f)) !== 0;

/** Notes a needed field's value, of the kind the point needs; the index past it, or -1. */
export function fieldValue(bytes: Uint8Array, at: number, f: Field): number {
  const bit = 1 << f;
  if ((seen & bit) !== 0) return -1; // JSON.parse keeps the last one: let it decide
  seen |= bit;
  const c = byteAt(bytes, at);
  let end: number;
  switch (KIND[f]) {
    case 'string':
      if (c !== QUOTE) return -1;
      end = stringEnd(bytes, at + 1);
      starts[f] = at + 1;
      ends[f] = end;
      return end < 0 ? -1 : end + 1;
    case 'dims':
      end = c === OPEN ? dimsEnd(bytes, at + 1) : -1;
      if (end < 0) return -1;
      break;
    case 'float':
      end = numberEnd(bytes, at);
      if (end < 0) return -1;
      if (plainFloat(bytes, at)) plain |= bit;
      break;
    case 'whole':
      end = numberEnd(bytes, at);
      if (end < 0 || !plainWhole()) return -1;
      break;
  }
  starts[f] = at;
  ends[f] = end;
  return end;
}

/** Index past a plain string value at `at` the point does not need, or -1. */
export function skipString(bytes: Uint8Array, at: number): number {
  if (byteAt(bytes, at) !== QUOTE) return -1;
  const end = stringEnd(bytes, at + 1);
  return end < 0 ? -1 : end + 1;
}

/** Skips a value the point does not need: a plain string or a number, nothing else. */
export function skipValue(bytes: Uint8Array, at: number): number {
  return byteAt(bytes, at) === QUOTE ? skipString(bytes, at) : numberEnd(bytes, at);
}
