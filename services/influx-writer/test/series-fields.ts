import type { SeriesTagCache, SeriesTags } from '../src/domain/series-tag-cache.js';

/** A record-like buffer holding the fields, and the ranges `seriesIn` takes. */
export function recordOf(fields: readonly string[], filler = 'xx'): [Buffer, Int32Array, Int32Array] {
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  let text = '';
  fields.forEach((field, i) => {
    text += filler;
    starts[i] = Buffer.byteLength(text);
    text += field;
    ends[i] = Buffer.byteLength(text);
  });
  return [Buffer.from(text), starts, ends];
}

/** `seriesIn` of the series fields given as strings (device, tenant, site, domain, metric, unit, dims). */
export function seriesOf(
  cache: SeriesTagCache,
  deviceId: string,
  tenant: string,
  site: string,
  domain: string,
  metric: string,
  unit: string,
  dims = '{}',
): SeriesTags | undefined {
  return cache.seriesIn(...recordOf([deviceId, tenant, site, domain, metric, unit, dims]));
}
