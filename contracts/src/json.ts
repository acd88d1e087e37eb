import { MAX_JSON_DEPTH, MAX_UPLINK_PAYLOAD_BYTES } from './limits.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON text with object keys sorted at every level, 2-space indent and a trailing newline: the same
 * value always gives the same bytes, so generated files diff cleanly and `--check` is exact.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}

export type JsonPayloadParse =
  | { ok: true; value: JsonValue }
  | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'MALFORMED_PAYLOAD'; reason: string };

export interface JsonPayloadLimits {
  /** @default MAX_UPLINK_PAYLOAD_BYTES */
  maxBytes?: number;
  /** @default MAX_JSON_DEPTH */
  maxDepth?: number;
}

/**
 * True when `value` has an object or array nested deeper than `maxDepth` levels (the value itself
 * is level 1). The recursion stops one level past `maxDepth`, so hostile input cannot overflow
 * the stack, and no work list is allocated on the validator's hot path.
 */
export function nestsDeeperThan(value: JsonValue, maxDepth: number, depth = 1): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > maxDepth) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (nestsDeeperThan(child, maxDepth, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan(value[key] as JsonValue, maxDepth, depth + 1)) return true;
  return false;
}

/**
 * Decodes device bytes into JSON within the uplink bounds: size first (before any work), then
 * strict UTF-8 (invalid bytes are an error, not U+FFFD), then JSON syntax, then nesting depth.
 * Never throws: every failure is a rejection code with a reason.
 */
export function parseJsonPayload(bytes: Uint8Array, limits: JsonPayloadLimits = {}): JsonPayloadParse {
  const maxBytes = limits.maxBytes ?? MAX_UPLINK_PAYLOAD_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (bytes.byteLength > maxBytes) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      reason: `payload is ${bytes.byteLength} bytes, limit ${maxBytes}`,
    };
  }
  let value: JsonValue;
  try {
    value = JSON.parse(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes),
    ) as JsonValue;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'MALFORMED_PAYLOAD', reason: `not UTF-8 JSON: ${reason}` };
  }
  if (nestsDeeperThan(value, maxDepth)) {
    return { ok: false, code: 'MALFORMED_PAYLOAD', reason: `JSON nests deeper than ${maxDepth} levels` };
  }
  return { ok: true, value };
}
