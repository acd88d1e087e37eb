import {
  MAX_READINGS_PER_MESSAGE,
  MAX_UPLINK_PAYLOAD_BYTES,
  MetricId,
  VehicleClass,
} from '@terrapulse/contracts';
import { JsonNumberReader } from '@terrapulse/service-kit';
import { AsciiStrings } from './ascii-strings.js';
import type { DecodedItem, DecodedUplink } from './decoded-uplink.js';
import { isEpochMs, READING_PATHS, UNIT_MAX, UNIT_MIN } from './well-formed-envelope.js';

/*
 * The scan keeps its position here between the calls below (it is synchronous), so it allocates
 * nothing but the decoded values.
 */
const EMPTY = new Uint8Array(0);
let bytes: Uint8Array = EMPTY;
let at = 0;

const METRICS = new AsciiStrings(MetricId.options);
const VEHICLE_CLASSES = new AsciiStrings(VehicleClass.options);
/** Units repeat per metric; a few unknown ones per length are kept (the unit is checked later). */
const UNITS = new AsciiStrings([], 16);
const NUMBERS = new JsonNumberReader();

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const HEAD = ascii('{"v":1,"deviceId":"');
const TS = ascii(',"ts":');
const SEQ = ascii(',"seq":');
const READINGS = ascii(',"readings":[');
const TAIL = ascii(']}');
const METRIC = ascii('{"metric":"');
const VALUE = ascii(',"value":');
const UNIT = ascii(',"unit":"');
const DIMS = ascii(',"dims":{');
const VEHICLE_CLASS = ascii('"vehicleClass":"');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE = 0x7d;

/**
 * Decodes the native envelope as the simulator and well-behaved firmware write it, straight from
 * its bytes: `{"v":1,"deviceId":"<topic's id>","ts":…,"seq":…,"readings":[…]}`, no whitespace, keys
 * in that order, readings `{"metric":…,"value":…,"unit":…,"ts":…,"dims":{…}}` (optional keys
 * may be absent), ASCII strings without escapes, integers (`ts`, `seq`) of at most 15 digits.
 * The answer is then exactly `decodeWellFormedEnvelope(JSON.parse(text))`'s, without the text, the
 * parse and the intermediate objects. Anything else, valid or not, gives undefined, and the caller
 * takes the JSON parse and its checks, which have the last word.
 */
export function scanNativeEnvelope(payload: Uint8Array, topicDeviceId: string): DecodedUplink | undefined {
  if (payload.byteLength > MAX_UPLINK_PAYLOAD_BYTES) return undefined;
  bytes = payload;
  at = 0;
  const decoded = scanEnvelope(topicDeviceId);
  bytes = EMPTY; // kept, the payload would pin the whole fetch response it is a view of
  return decoded;
}

function scanEnvelope(topicDeviceId: string): DecodedUplink | undefined {
  if (!literal(HEAD) || !text(topicDeviceId)) return undefined;
  const ts = literal(TS) ? epochMs() : undefined;
  if (ts === null) return undefined;
  const seq = literal(SEQ) ? digits() : undefined;
  if (seq === null || !literal(READINGS)) return undefined;
  const items: DecodedItem[] = [];
  do {
    const reading = items.length < MAX_READINGS_PER_MESSAGE ? scanReading() : undefined;
    if (reading === undefined) return undefined;
    items.push({ ok: true, path: READING_PATHS[items.length] as string, reading });
  } while (next(COMMA));
  if (!literal(TAIL) || at !== bytes.length) return undefined;
  return decodedEnvelope(topicDeviceId, ts, seq, items);
}

/**
 * The decoded envelope with its optional keys only when present, in the order the JSON path
 * gives them; written out rather than spread, which costs two objects and two copies a message.
 */
function decodedEnvelope(
  deviceId: string,
  ts: number | undefined,
  seq: number | undefined,
  items: DecodedItem[],
): DecodedUplink {
  if (ts !== undefined && seq !== undefined) return { ok: true, deviceId, envelopeTs: ts, seq, items };
  if (ts !== undefined) return { ok: true, deviceId, envelopeTs: ts, items };
  if (seq !== undefined) return { ok: true, deviceId, seq, items };
  return { ok: true, deviceId, items };
}

/** One reading as JSON.parse builds it: its keys in the text's order. */
interface ScannedReading {
  metric: MetricId;
  value: number;
  unit?: string;
  ts?: number;
  dims?: { vehicleClass?: VehicleClass };
}

function scanReading(): ScannedReading | undefined {
  if (!literal(METRIC)) return undefined;
  const metric = string(METRICS) as MetricId | undefined;
  if (metric === undefined || !literal(VALUE)) return undefined;
  const value = jsonNumber();
  if (value === undefined) return undefined;
  const reading: ScannedReading = { metric, value };
  if (literal(UNIT)) {
    const unit = string(UNITS);
    if (unit === undefined || unit.length < UNIT_MIN || unit.length > UNIT_MAX) return undefined;
    reading.unit = unit;
  }
  if (literal(TS)) {
    const ts = epochMs();
    if (ts === null) return undefined;
    reading.ts = ts;
  }
  if (literal(DIMS)) {
    const dims: ScannedReading['dims'] = {};
    if (literal(VEHICLE_CLASS)) {
      const vehicleClass = string(VEHICLE_CLASSES) as VehicleClass | undefined;
      if (vehicleClass === undefined) return undefined;
      dims.vehicleClass = vehicleClass;
    }
    if (!next(CLOSE)) return undefined;
    reading.dims = dims;
  }
  return next(CLOSE) ? reading : undefined;
}

/** Steps over `expected` when the bytes at the position are exactly it. */
function literal(expected: Uint8Array): boolean {
  if (at + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i += 1) if (bytes[at + i] !== expected[i]) return false;
  at += expected.length;
  return true;
}

function next(byte: number): boolean {
  if (bytes[at] !== byte) return false;
  at += 1;
  return true;
}

/** A plain JSON string character: printable ASCII but the quote and the escape. */
const isPlain = (c: number): boolean => c >= 0x20 && c < 0x7f && c !== QUOTE && c !== BACKSLASH;

/** Steps over the rest of a string (after its opening quote) that is exactly `expected`. */
function text(expected: string): boolean {
  const end = at + expected.length;
  if (end >= bytes.length || bytes[end] !== QUOTE) return false;
  for (let i = 0; i < expected.length; i += 1) {
    const c = expected.charCodeAt(i);
    if (!isPlain(c) || bytes[at + i] !== c) return false;
  }
  at = end + 1;
  return true;
}

/** The rest of a plain string (after its opening quote) when `strings` knows it. */
function string(strings: AsciiStrings): string | undefined {
  const start = at;
  let end = start;
  while (end < bytes.length && isPlain(bytes[end] as number)) end += 1;
  if (bytes[end] !== QUOTE) return undefined;
  const found = strings.find(bytes, start, end);
  if (found !== undefined) at = end + 1;
  return found;
}

/** An epoch-ms time in its plain digits; null when the bytes are anything else. */
function epochMs(): number | null {
  const ms = digits();
  return ms !== null && isEpochMs(ms) ? ms : null;
}

/** An integer >= 0 written as 1 to 15 digits, without a leading zero; null otherwise. */
function digits(): number | null {
  const n = NUMBERS.integer(bytes, at);
  if (n === undefined) return null;
  at = NUMBERS.end;
  return n;
}

/** A finite JSON number, the double JSON.parse gives for its text. */
function jsonNumber(): number | undefined {
  const value = NUMBERS.number(bytes, at);
  if (value !== undefined) at = NUMBERS.end;
  return value;
}
