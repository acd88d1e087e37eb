import type { RawHeaderValue } from './raw-uplink.js';

/** A header's value as it arrives: bytes from Kafka, text from tests and in-process callers. */
export type HeaderValue = Buffer | string;

/**
 * The value a reader takes from a header: a repeated name keeps its last value. `null` when the
 * value has a shape no Kafka client hands out; callers then take their general path.
 */
export function lastHeaderValue(value: RawHeaderValue): HeaderValue | undefined | null {
  if (value === undefined || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (!Array.isArray(value)) return null;
  const last: unknown = value[value.length - 1];
  return typeof last === 'string' || Buffer.isBuffer(last) ? last : null;
}

/** Same bytes (or same text), compared in place: header values are a few dozen bytes. */
export function sameHeaderValue(a: HeaderValue | undefined, b: HeaderValue | undefined): boolean {
  if (typeof a === 'string' || a === undefined || typeof b === 'string' || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A copy that does not pin its source: kafkajs hands out header values as slices of the whole
 * fetch response, which a memo entry would otherwise keep alive.
 */
export function ownHeaderValue(value: HeaderValue | undefined): HeaderValue | undefined {
  return value === undefined || typeof value === 'string' ? value : Buffer.from(value);
}

/** Longest digit run that is always a valid epoch-ms header: 15 digits stay below the EpochMs bound. */
const MAX_PLAIN_DIGITS = 15;

/**
 * Reads a header of 1 to 15 ASCII digits as an integer, the common case of an epoch-ms header,
 * without decoding it to text. Anything else (longer, empty, any other byte) gives undefined, and
 * the caller takes the contract's codec, which has the last word.
 */
export function plainDigits(value: HeaderValue | undefined): number | undefined {
  if (value === undefined || value.length === 0 || value.length > MAX_PLAIN_DIGITS) return undefined;
  let n = 0;
  for (let i = 0; i < value.length; i += 1) {
    const digit = (typeof value === 'string' ? value.charCodeAt(i) : (value[i] as number)) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return n;
}
