import { seriesTags } from './line-protocol.js';

/** One series of a device: its other identifying fields and its escaped tag set. */
interface CachedSeries {
  readonly tenant: string;
  readonly site: string;
  readonly domain: string;
  readonly metric: string;
  readonly unit: string;
  readonly tags: string;
}

const NO_DIMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The escaped `,tag=value...` of series without dimensions, remembered per device: a fleet sends
 * the same few series over and over, and building the tag set (six escaping tests, six
 * concatenations) was a tenth of the writer's own CPU. A hit costs one Map lookup and five
 * string comparisons, and returns the very string seriesTags would build.
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

  /** seriesTags of the series with no dimensions, or undefined when it cannot be written. */
  tags(deviceId: string, tenant: string, site: string, domain: string, metric: string, unit: string) {
    let series = this.#byDevice.get(deviceId);
    if (series !== undefined) {
      for (const s of series) {
        if (
          s.metric === metric &&
          s.unit === unit &&
          s.site === site &&
          s.tenant === tenant &&
          s.domain === domain
        ) {
          return s.tags;
        }
      }
    }
    const tags = seriesTags({ deviceId, tenant, site, domain, metric, unit, dims: NO_DIMS });
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
    series.push({ tenant, site, domain, metric, unit, tags });
    this.#size++;
    return tags;
  }

  /** Series remembered, for tests. */
  get size(): number {
    return this.#size;
  }
}
