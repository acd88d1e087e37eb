import { seriesTags } from './line-protocol.js';

/** One series of a device: its other identifying fields and its escaped tag set. */
interface CachedSeries {
  readonly tenant: string;
  readonly site: string;
  readonly domain: string;
  readonly metric: string;
  readonly unit: string;
  /** JSON text of the dimensions, as the record holds it. */
  readonly dims: string;
  readonly tags: string;
  /** The tags as UTF-8, for lines written as bytes. */
  readonly bytes: Buffer;
}

/** The dimensions text of a series without dimensions (most metrics). */
export const NO_DIMS_TEXT = '{}';
const NO_DIMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The escaped `,tag=value...` of a series, remembered per device: a fleet sends the same few
 * series over and over, and building the tag set (six escaping tests, six concatenations, and a
 * sort with dimensions) was a tenth of the writer's own CPU. A hit costs one Map lookup and six
 * string comparisons, and returns the very string seriesTags would build.
 *
 * Dimensions are keyed by their JSON text: the same text parses to the same dimensions, so a hit
 * is exact (the same dimensions written in another order are another entry, with equal tags).
 *
 * Bounded: past `limit` series the cache starts over, so a churn of device ids costs memory
 * once, not forever. Unrepresentable series are not remembered (they are rare and skipped).
 */
export class SeriesTagCache {
  readonly #byDevice = new Map<string, CachedSeries[]>();
  readonly #limit: number;
  #size = 0;

  constructor(limit = 50_000) {
    this.#limit = limit;
  }

  /**
   * The series' seriesTags, as text and as UTF-8 bytes, or undefined when it cannot be written.
   * `dims` is the JSON text of an object of strings (a record's `dims`, checked by the caller),
   * NO_DIMS_TEXT when empty.
   */
  series(
    deviceId: string,
    tenant: string,
    site: string,
    domain: string,
    metric: string,
    unit: string,
    dims: string = NO_DIMS_TEXT,
  ): Pick<CachedSeries, 'tags' | 'bytes'> | undefined {
    let series = this.#byDevice.get(deviceId);
    if (series !== undefined) {
      for (const s of series) {
        if (
          s.metric === metric &&
          s.dims === dims &&
          s.unit === unit &&
          s.site === site &&
          s.tenant === tenant &&
          s.domain === domain
        ) {
          return s;
        }
      }
    }
    const parsed = dims === NO_DIMS_TEXT ? NO_DIMS : (JSON.parse(dims) as Record<string, string>);
    const tags = seriesTags({ deviceId, tenant, site, domain, metric, unit, dims: parsed });
    if (typeof tags !== 'string') return undefined;
    if (this.#size >= this.#limit) {
      this.#byDevice.clear();
      this.#size = 0;
      series = undefined;
    }
    if (series === undefined) {
      series = [];
      this.#byDevice.set(deviceId, series);
    }
    const cached = { tenant, site, domain, metric, unit, dims, tags, bytes: Buffer.from(tags) };
    series.push(cached);
    this.#size++;
    return cached;
  }

  /** Series remembered, for tests. */
  get size(): number {
    return this.#size;
  }
}
