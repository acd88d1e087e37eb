import { isUtf8 } from 'node:buffer';
import {
  type JsonPayloadParse,
  type JsonValue,
  MAX_JSON_DEPTH,
  MAX_UPLINK_PAYLOAD_BYTES,
  nestsDeeperThan,
  parseJsonPayload,
} from '@terrapulse/contracts';

/**
 * `parseJsonPayload` of the contract, in two steps so the hot path does only what it needs:
 * `parseUplinkJson` checks size, UTF-8 and syntax, and `nestsTooDeep` the depth, which a caller
 * may skip when it has checked the value's shape (a well-formed envelope nests 4 levels). Every
 * failure is the contract's own verdict, reason text included: on any doubt the bytes go through
 * `parseJsonPayload`.
 */
export function parseUplinkJson(bytes: Uint8Array): JsonPayloadParse {
  // A leading BOM is stripped by the contract's decoder and kept by Buffer's: let the contract decide.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.byteLength > MAX_UPLINK_PAYLOAD_BYTES || bom || !isUtf8(bytes)) return parseJsonPayload(bytes);
  const text = Buffer.isBuffer(bytes)
    ? bytes.toString('utf8')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return parseJsonPayload(bytes);
  }
}

/** The contract's depth verdict on a value `parseUplinkJson` accepted. */
export function nestsTooDeep(
  value: JsonValue,
  bytes: Uint8Array,
): Extract<JsonPayloadParse, { ok: false }> | undefined {
  if (!nestsDeeperThan(value, MAX_JSON_DEPTH)) return undefined;
  const verdict = parseJsonPayload(bytes);
  return verdict.ok ? undefined : verdict;
}
