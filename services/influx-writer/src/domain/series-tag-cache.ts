import { seriesTags } from './line-protocol.js';

/** A series' tag set, as text and as UTF-8 bytes (for lines written as bytes). */
export interface SeriesTags {
  readonly tags: string;
  readonly bytes: Buffer;
}

/** One series: the bytes of its identifying fields as a record holds them, and its tag set. */
interface CachedSeries extends SeriesTags {
  /** The SERIES_FIELDS texts back to back, in the COMPARED order. */
  readonly key: Uint8Array;
  /** Where each of them ends in key, in the COMPARED order. */
  readonly ends: Int32Array;
}

/**
 * The fields that make a series, in the order of the ranges seriesIn takes: a record's
 * deviceId, tenant, site, domain, metric and unit strings (between their quotes) and its dims
 * object (braces included).
 */
export const SERIES_FIELDS = 7;
const DIMS = SERIES_FIELDS - 1;
/**
 * The order the fields are compared in: those that tell a device's series apart first (a device
 * has a few series, of other metrics or dimensions); the device id last but one, as its hash
 * already matched.
 */
const COMPARED = [4, 6, 5, 0, 2, 1, 3] as const;
const OPEN = 123;
const CLOSE = 125;
/** Hashes are kept within V8's small integers, so the Map keys are not boxed. */
const SMALL = 0x3fffffff;

const NO_DIMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The escaped `,tag=value...` of a series, remembered per device: a fleet sends the same few
 * series over and over, and building the tag set (six escaping tests, six concatenations, and a
 * sort with dimensions) was a tenth of the writer's own CPU.
 *
 * A series is found by the bytes of the record itself: a hash of the device id, then the record's
 * bytes compared with the series' in place. Why: cutting seven strings out of every record, or
 * decoding the record to a string at all, cost more than the comparison. Only a new series
 * decodes its fields (to build its tags, the very string seriesTags builds).
 *
 * Dimensions are keyed by their JSON text: the same text parses to the same dimensions, so a hit
 * is exact (the same dimensions written in another order are another entry, with equal tags).
 *
 * Bounded: past `limit` series the cache starts over, so a churn of device ids costs memory
 * once, not forever. Unrepresentable series are not remembered (they are rare and skipped).
 */
export class SeriesTagCache {
  readonly #byDevice = new Map<number, CachedSeries[]>();
  readonly #limit: number;
  #size = 0;

  constructor(limit = 50_000) {
    this.#limit = limit;
  }

  /**
   * The tags of the series whose fields lie in record[starts[i], ends[i]) for the SERIES_FIELDS,
   * or undefined when it cannot be written. The ranges are those of plain JSON strings (no
   * escape) and of a flat object of such strings, as the compact scan checks them.
   */
  seriesIn(record: Buffer, starts: Int32Array, ends: Int32Array): SeriesTags | undefined {
    const hash = hashOf(record, starts[0] ?? 0, ends[0] ?? 0);
    let series = this.#byDevice.get(hash);
    if (series !== undefined) {
      for (const s of series) if (sameFields(s, record, starts, ends)) return s;
    }
    const tags = tagsOf(record, starts, ends);
    if (tags === undefined) return undefined;
    if (this.#size >= this.#limit) {
      this.#byDevice.clear();
      this.#size = 0;
      series = undefined;
    }
    if (series === undefined) {
      series = [];
      this.#byDevice.set(hash, series);
    }
    const cached = { ...keyOf(record, starts, ends), tags, bytes: Buffer.from(tags) };
    series.push(cached);
    this.#size++;
    return cached;
  }

  /** Series remembered, for tests. */
  get size(): number {
    return this.#size;
  }
}

function hashOf(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = (Math.imul(hash, 31) + (bytes[i] ?? 0)) | 0;
  return hash & SMALL;
}

function sameFields(s: CachedSeries, record: Uint8Array, starts: Int32Array, ends: Int32Array): boolean {
  const { key } = s;
  let k = 0;
  for (let n = 0; n < SERIES_FIELDS; n++) {
    const f = COMPARED[n] ?? 0;
    const from = starts[f] ?? 0;
    const to = ends[f] ?? 0;
    if (to - from !== (s.ends[n] ?? 0) - k) return false;
    for (let i = from; i < to; i++) if (record[i] !== key[k++]) return false;
  }
  return true;
}

function keyOf(
  record: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
): Omit<CachedSeries, 'tags' | 'bytes'> {
  const keyEnds = new Int32Array(SERIES_FIELDS);
  let length = 0;
  COMPARED.forEach((f, n) => {
    length += (ends[f] ?? 0) - (starts[f] ?? 0);
    keyEnds[n] = length;
  });
  const key = new Uint8Array(length);
  let k = 0;
  for (const f of COMPARED) {
    for (let i = starts[f] ?? 0; i < (ends[f] ?? 0); i++) key[k++] = record[i] ?? 0;
  }
  return { key, ends: keyEnds };
}

/** seriesTags of the fields, decoded from the record (a new series). */
function tagsOf(record: Buffer, starts: Int32Array, ends: Int32Array): string | undefined {
  const text = (f: number) => record.toString('utf8', starts[f], ends[f]);
  const emptyDims =
    (ends[DIMS] ?? 0) - (starts[DIMS] ?? 0) === 2 &&
    record[starts[DIMS] ?? 0] === OPEN &&
    record[(starts[DIMS] ?? 0) + 1] === CLOSE;
  const dims = emptyDims ? NO_DIMS : (JSON.parse(text(DIMS)) as Record<string, string>);
  const tags = seriesTags({
    deviceId: text(0),
    tenant: text(1),
    site: text(2),
    domain: text(3),
    metric: text(4),
    unit: text(5),
    dims,
  });
  return typeof tags === 'string' ? tags : undefined;
}
