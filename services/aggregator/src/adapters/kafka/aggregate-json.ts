import type { Aggregate } from '@terrapulse/contracts';
import { JsonBytes } from '../../json-bytes.js';

/** The keys of an aggregate as `Series.aggregate` builds it, in its order; `consumption` is optional. */
const KEYS = [
  'deviceId',
  'tenant',
  'site',
  'domain',
  'metric',
  'kind',
  'unit',
  'dims',
  'window',
  'windowStart',
  'windowEnd',
  'count',
  'sum',
  'min',
  'max',
  'mean',
  'last',
  'lastTs',
  'timezone',
  'computedAt',
  'consumption',
] as const;
const STRINGS = ['deviceId', 'tenant', 'site', 'domain', 'metric', 'kind', 'unit'] as const;
const NUMBERS = ['windowStart', 'windowEnd', 'count', 'sum', 'min', 'max', 'mean', 'last', 'lastTs'] as const;

type Fields = Record<(typeof KEYS)[number], unknown>;

/** The JSON bytes of a series' fields up to `dims`, kept per frozen dims object (one per series). */
interface SeriesBytes {
  readonly strings: readonly unknown[];
  readonly bytes: Buffer;
}
const seriesBytes = new WeakMap<object, SeriesBytes>();

/** Where `aggregateJson` writes; taken back at once, so one serves every call. */
const scratch = new JsonBytes(4 * 1024);

/** `JSON.stringify(aggregate)`, from the bytes `writeAggregate` writes. */
export function aggregateJson(aggregate: Aggregate): string {
  scratch.reset();
  writeAggregate(scratch, aggregate);
  return scratch.buffer.toString('utf8', 0, scratch.at);
}

/**
 * Appends the UTF-8 bytes of `JSON.stringify(aggregate)` to `out`, at a fraction of its cost for
 * the aggregates the window store builds: the bytes of a series' fields (device to dims) are kept
 * per series, the rest is numbers and two short strings written in place. An aggregate of any
 * other shape (other keys or key order, a value of another type, a `toJSON`) is left to
 * `JSON.stringify`.
 */
export function writeAggregate(out: JsonBytes, aggregate: Aggregate): void {
  const a = aggregate as unknown as Fields;
  const series = hasPlainShape(a) ? seriesBytesOf(a) : undefined;
  if (series === undefined) {
    out.text(JSON.stringify(aggregate));
    return;
  }
  out.bytes(series);
  out.ascii(',"window":');
  out.string(a.window as string);
  out.ascii(',"windowStart":');
  out.number(a.windowStart as number);
  out.ascii(',"windowEnd":');
  out.number(a.windowEnd as number);
  out.ascii(',"count":');
  out.number(a.count as number);
  out.ascii(',"sum":');
  out.number(a.sum as number);
  out.ascii(',"min":');
  out.number(a.min as number);
  out.ascii(',"max":');
  out.number(a.max as number);
  out.ascii(',"mean":');
  out.number(a.mean as number);
  out.ascii(',"last":');
  out.number(a.last as number);
  out.ascii(',"lastTs":');
  out.number(a.lastTs as number);
  out.ascii(',"timezone":');
  out.string(a.timezone as string);
  out.ascii(',"computedAt":');
  out.number(a.computedAt as number);
  if (a.consumption !== undefined) {
    out.ascii(',"consumption":');
    out.number(a.consumption as number);
  }
  out.ascii('}');
}

function hasPlainShape(a: Fields): boolean {
  if (Object.getPrototypeOf(a) !== Object.prototype || 'toJSON' in a) return false;
  let i = 0;
  for (const key in a) if (key !== KEYS[i++]) return false;
  if (i < KEYS.length - 1) return false;
  for (const key of STRINGS) if (typeof a[key] !== 'string') return false;
  for (const key of NUMBERS) if (typeof a[key] !== 'number') return false;
  return (
    typeof a.window === 'string' &&
    typeof a.timezone === 'string' &&
    typeof a.computedAt === 'number' &&
    (a.consumption === undefined || typeof a.consumption === 'number')
  );
}

/** The cached bytes of the series fields when `dims` is frozen and flat (so its text cannot change). */
function seriesBytesOf(a: Fields): Buffer | undefined {
  const { dims } = a;
  if (typeof dims !== 'object' || dims === null) return undefined;
  const cached = seriesBytes.get(dims);
  if (cached !== undefined && sameStrings(cached.strings, a)) return cached.bytes;
  if (!Object.isFrozen(dims) || Object.getPrototypeOf(dims) !== Object.prototype || 'toJSON' in dims)
    return undefined;
  if (!Object.values(dims).every((v) => typeof v === 'string')) return undefined;
  const strings = STRINGS.map((key) => a[key]);
  const fields = Object.fromEntries(STRINGS.map((key) => [key, a[key]]));
  const bytes = Buffer.from(JSON.stringify({ ...fields, dims }).slice(0, -1));
  seriesBytes.set(dims, { strings, bytes });
  return bytes;
}

function sameStrings(strings: readonly unknown[], a: Fields): boolean {
  for (let i = 0; i < STRINGS.length; i++)
    if (strings[i] !== a[STRINGS[i] as (typeof STRINGS)[number]]) return false;
  return true;
}
