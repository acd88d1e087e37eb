/**
 * The text layout the validator gives a reading on `telemetry.readings` (its `readingJson`, i.e.
 * `JSON.stringify` of a reading built in contract order):
 *
 *   {"deviceId":..,"tenant":..,"site":..,"domain":..,"metric":..,"kind":..,"unit":..,
 *    "value":N,"ts":N,"receivedAt":N,"dims":{..}[,"sourceSeq":N]}
 *
 * Everything up to `"value"`, and the dimensions, repeat in every reading of a series; only the
 * numbers change. Matching a record on that repeated text and reading its numbers
 * (reading-bytes.ts) is several times cheaper than `JSON.parse`, and lets the decoder recognise a
 * series it already validated. The match is strict: any other layout is left to `JSON.parse`.
 */

// The layout's keys, with the bytes around them.
export const DEVICE = '{"deviceId":';
export const VALUE = ',"value":';
export const TS = ',"ts":';
export const RECEIVED_AT = ',"receivedAt":';
export const DIMS = ',"dims":';
export const SOURCE_SEQ = ',"sourceSeq":';
/** The fields of a reading that its series text holds, deviceId to unit. */
export interface SeriesFields {
  deviceId: string;
  tenant: string;
  site: string;
  domain: string;
  metric: string;
  kind: string;
  unit: string;
}

/** The repeated text of a reading with these series fields, as the validator writes it. */
export function seriesText(r: SeriesFields): string {
  const q = JSON.stringify;
  return (
    `{"deviceId":${q(r.deviceId)},"tenant":${q(r.tenant)},"site":${q(r.site)},"domain":${q(r.domain)}` +
    `,"metric":${q(r.metric)},"kind":${q(r.kind)},"unit":${q(r.unit)}`
  );
}
