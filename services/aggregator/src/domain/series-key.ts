/**
 * Identity of a series: one metric of one device with one set of dimensions (phase, channel,
 * direction...). Parts are percent-encoded so a `|`, `,` or `=` inside an id or a dimension
 * can never make two different series collide.
 */

export function seriesKey(deviceId: string, metric: string, dims: Readonly<Record<string, string>>): string {
  const names = Object.keys(dims).sort();
  let encodedDims = '';
  for (const name of names) {
    if (encodedDims !== '') encodedDims += ',';
    encodedDims += `${encode(name)}=${encode(dims[name] ?? '')}`;
  }
  return `${encode(deviceId)}|${encode(metric)}|${encodedDims}`;
}

const NEEDS_ENCODING = /[|,=%]/;

/** Only the separators and `%` itself are escaped: ids rarely hold them, and this is per reading. */
function encode(part: string): string {
  return NEEDS_ENCODING.test(part)
    ? part.replace(/[|,=%]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    : part;
}
