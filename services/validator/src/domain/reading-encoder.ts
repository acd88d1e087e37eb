import type { NormalizedReading } from '@terrapulse/contracts';
import { MAX_JSON_NUMBER_BYTES, writeJsonNumber } from '@terrapulse/service-kit';

/** The keys of a reading as `normalizeReading` builds it, in its order; `sourceSeq` is optional. */
const KEYS = [
  'deviceId',
  'tenant',
  'site',
  'domain',
  'metric',
  'kind',
  'unit',
  'value',
  'ts',
  'receivedAt',
  'dims',
  'sourceSeq',
] as const;
type Key = (typeof KEYS)[number];
const REQUIRED_KEYS = KEYS.length - 1;
const STRING_KEYS = 7;

/**
 * `Buffer.from(JSON.stringify(reading))`, byte for byte, at a fraction of its cost for the
 * readings the validator builds. The text up to `"value":` repeats for a device and metric, so its
 * bytes are cached; the numbers are written as digits straight into a shared slab, without an
 * intermediate string. A reading of any other shape (other keys or key order, a value of another
 * type, a non-finite number, a `toJSON`) is left to `JSON.stringify`.
 */
export function encodeReading(reading: NormalizedReading): Buffer {
  if (!hasPlainShape(reading)) return Buffer.from(JSON.stringify(reading));
  const prefix = prefixOf(reading);
  const dims = dimsBytes(reading.dims);
  const start = reserve(prefix.length + (dims?.length ?? 2) + 4 * MAX_JSON_NUMBER_BYTES + MAX_FIXED_BYTES);
  put(prefix);
  putNumber(reading.value);
  put(TS);
  putNumber(reading.ts);
  put(RECEIVED_AT);
  putNumber(reading.receivedAt);
  put(DIMS);
  put(dims ?? EMPTY_OBJECT);
  if (reading.sourceSeq !== undefined) {
    put(SOURCE_SEQ);
    putNumber(reading.sourceSeq);
  }
  put(CLOSE);
  return slab.subarray(start, at);
}

function hasPlainShape(reading: object): boolean {
  if (Object.getPrototypeOf(reading) !== Object.prototype || 'toJSON' in reading) return false;
  // for-in rather than Object.keys: the same keys in the same order here (an inherited enumerable
  // key only adds a mismatch), without an array per reading.
  let count = 0;
  for (const key in reading) {
    if (count === KEYS.length || key !== KEYS[count]) return false;
    count += 1;
  }
  if (count < REQUIRED_KEYS) return false;
  const r = reading as Record<Key, unknown>;
  for (let i = 0; i < STRING_KEYS; i += 1) if (typeof r[KEYS[i] as Key] !== 'string') return false;
  const { dims } = r;
  return (
    Number.isFinite(r.value) &&
    Number.isFinite(r.ts) &&
    Number.isFinite(r.receivedAt) &&
    (count === REQUIRED_KEYS || Number.isFinite(r.sourceSeq)) &&
    typeof dims === 'object' &&
    dims !== null &&
    Object.getPrototypeOf(dims) === Object.prototype &&
    !('toJSON' in dims)
  );
}

/**
 * The JSON of a reading's dimensions; undefined when there is none. A single dimension (a vehicle
 * class) has few values, so its bytes are kept by name and value: the text of `{name: value}` is
 * the same whatever object holds them.
 */
function dimsBytes(dims: Readonly<Record<string, unknown>>): Buffer | undefined {
  let name: string | undefined;
  for (const key in dims) {
    if (name !== undefined) return Buffer.from(JSON.stringify(dims));
    name = key;
  }
  if (name === undefined) return undefined;
  const value = dims[name];
  if (typeof value !== 'string') return Buffer.from(JSON.stringify(dims));
  let byValue = singleDims.get(name);
  if (byValue === undefined) {
    byValue = new Map();
    singleDims.set(name, byValue);
  }
  let bytes = byValue.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(dims));
    if (byValue.size < MAX_DIMS_VALUES) byValue.set(value, bytes);
  }
  return bytes;
}
const singleDims = new Map<string, Map<string, Buffer>>();
const MAX_DIMS_VALUES = 1_000;

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const TS = ascii(',"ts":');
const RECEIVED_AT = ascii(',"receivedAt":');
const DIMS = ascii(',"dims":');
const EMPTY_OBJECT = ascii('{}');
const SOURCE_SEQ = ascii(',"sourceSeq":');
const CLOSE = ascii('}');
const MAX_FIXED_BYTES = TS.length + RECEIVED_AT.length + DIMS.length + SOURCE_SEQ.length + CLOSE.length;

/** The JSON text of a reading up to `"value":`, as bytes, for each device and metric seen. */
interface Prefix {
  readonly tenant: string;
  readonly site: string;
  readonly domain: string;
  readonly metric: string;
  readonly kind: string;
  readonly unit: string;
  readonly bytes: Buffer;
}
const prefixes = new Map<string, Prefix[]>();
let prefixCount = 0;
const MAX_PREFIXES = 50_000;

function prefixOf(r: NormalizedReading): Buffer {
  const known = prefixes.get(r.deviceId);
  if (known !== undefined) {
    for (const p of known) {
      if (
        p.metric === r.metric &&
        p.tenant === r.tenant &&
        p.site === r.site &&
        p.domain === r.domain &&
        p.kind === r.kind &&
        p.unit === r.unit
      ) {
        return p.bytes;
      }
    }
  }
  const { deviceId, tenant, site, domain, metric, kind, unit } = r;
  const text =
    `{"deviceId":${JSON.stringify(deviceId)},"tenant":${JSON.stringify(tenant)},"site":${JSON.stringify(site)}` +
    `,"domain":${JSON.stringify(domain)},"metric":${JSON.stringify(metric)},"kind":${JSON.stringify(kind)}` +
    `,"unit":${JSON.stringify(unit)},"value":`;
  const prefix: Prefix = { tenant, site, domain, metric, kind, unit, bytes: Buffer.from(text) };
  if (prefixCount >= MAX_PREFIXES) {
    prefixes.clear();
    prefixCount = 0;
  }
  const list = prefixes.get(deviceId);
  if (list === undefined) prefixes.set(deviceId, [prefix]);
  else list.push(prefix);
  prefixCount += 1;
  return prefix.bytes;
}

/*
 * The slab: outputs are views of it, written once and never reused, so a slab lives as long as
 * one of its outputs waits to be sent. A new one starts when the current one is full.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafe(SLAB_BYTES);
let at = 0;

/** Makes room for `bytes` and returns where the output starts. */
function reserve(bytes: number): number {
  if (at + bytes > slab.length) {
    slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
    at = 0;
  }
  return at;
}

/** A byte loop for the short fixed texts: a `set` call costs more than copying a few bytes. */
function put(bytes: Uint8Array): void {
  const length = bytes.length;
  if (length > 16) {
    slab.set(bytes, at);
  } else {
    for (let i = 0; i < length; i += 1) slab[at + i] = bytes[i] as number;
  }
  at += length;
}

function putNumber(n: number): void {
  at = writeJsonNumber(slab, at, n);
}
