/**
 * JSON strings and flat objects of strings for the compact scans (compact-scan.ts,
 * layout-scan.ts), read in a record's UTF-8 bytes: where they end, when they are plain (no
 * escape, no control character), so that their bytes are their value.
 */

export const QUOTE = 34;
export const COMMA = 44;
export const COLON = 58;
export const OPEN = 123;
export const CLOSE = 125;
const BACKSLASH = 92;

/** The byte at i, or -1 past the end (which no test of the scans accepts). */
export const byteAt = (bytes: Uint8Array, i: number): number => bytes[i] ?? -1;

/** Index of the quote closing a string without escapes or control characters, or -1. */
export function stringEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    const c = byteAt(bytes, i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

/**
 * Index past the dimensions object whose `{` precedes `from`: `{}` or `{"name":"value",...}` of
 * plain strings, or -1. Its text is the series tag cache's key; what the names and values are
 * worth as tags (empty, reserved, a backslash) is for seriesTags to decide on a cache miss.
 */
export function dimsEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  if (byteAt(bytes, i) === CLOSE) return i + 1;
  for (;;) {
    if (byteAt(bytes, i) !== QUOTE) return -1;
    i = stringEnd(bytes, i + 1);
    if (i < 0 || byteAt(bytes, i + 1) !== COLON || byteAt(bytes, i + 2) !== QUOTE) return -1;
    i = stringEnd(bytes, i + 3);
    if (i < 0) return -1;
    const c = byteAt(bytes, i + 1);
    if (c === CLOSE) return i + 2;
    if (c !== COMMA) return -1;
    i += 2;
  }
}

/**
 * stringEnd of a key, its hash (keyHashOf of its bytes) left in `keyHash`: the general scan finds
 * a key's field by that hash, without cutting a string out of the record for every key.
 */
export function keyEnd(bytes: Uint8Array, from: number): number {
  let hash = 0;
  for (let i = from; i < bytes.length; i++) {
    const c = byteAt(bytes, i);
    if (c === QUOTE) {
      keyHash = hash;
      return i;
    }
    if (c === BACKSLASH || c < 0x20) return -1;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  return -1;
}
export let keyHash = 0;

export function keyHashOf(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0;
  return hash;
}
