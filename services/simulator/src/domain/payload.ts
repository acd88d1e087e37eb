import {
  getMetric,
  type MetricId,
  senmlBaseName,
  senmlRecordName,
  type UplinkFormat,
} from '@terrapulse/contracts';
import type { SimReading } from './types.js';

/**
 * Payload encoders. Hand-built JSON text rather than JSON.stringify of objects: this runs for every
 * reading of a benchmark, and the shapes are fixed. Every value is a finite number, and
 * `${number}` prints the shortest text that parses back to the same number, so the ledger's value
 * is exactly what the validator will read.
 */

const units = new Map<MetricId, string>();
function unitOf(metric: MetricId): string {
  let unit = units.get(metric);
  if (unit === undefined) {
    unit = getMetric(metric).unit;
    units.set(metric, unit);
  }
  return unit;
}

const senmlNames = new Map<string, string>();
function senmlName(r: SimReading): string {
  const key = r.vehicleClass === undefined ? r.metric : `${r.metric}/${r.vehicleClass}`;
  let name = senmlNames.get(key);
  if (name === undefined) {
    name = senmlRecordName(r.metric, { vehicleClass: r.vehicleClass });
    senmlNames.set(key, name);
  }
  return name;
}

/** The fixed text around a reading's value in an envelope, built once per metric. */
const envelopeTexts = new Map<MetricId, { readonly head: string; readonly unit: string }>();
function envelopeTextOf(metric: MetricId): { readonly head: string; readonly unit: string } {
  let text = envelopeTexts.get(metric);
  if (text === undefined) {
    text = { head: `{"metric":"${metric}","value":`, unit: `,"unit":"${unitOf(metric)}"` };
    envelopeTexts.set(metric, text);
  }
  return text;
}

/** The value text of a reading; a wrong-schema fault sends it as a JSON string instead. */
const valueText = (value: number, asString: boolean): string => (asString ? `"${value}"` : `${value}`);

/** The native envelope; readings stamped like the first one omit their own `ts`. */
export function encodeEnvelope(
  deviceId: string,
  seq: number,
  readings: readonly SimReading[],
  valueAsString = false,
): string {
  const first = readings[0];
  const ts = first?.ts ?? 0;
  let body = '';
  for (const r of readings) {
    if (body !== '') body += ',';
    const text = envelopeTextOf(r.metric);
    body += `${text.head}${valueText(r.value, valueAsString)}${text.unit}`;
    if (r.ts !== ts) body += `,"ts":${r.ts}`;
    if (r.vehicleClass !== undefined) body += `,"dims":{"vehicleClass":"${r.vehicleClass}"}`;
    body += '}';
  }
  return `{"v":1,"deviceId":"${deviceId}","ts":${ts},"seq":${seq},"readings":[${body}]}`;
}

/** A SenML pack (RFC 8428): base name and base time on the first record, times in seconds. */
export function encodeSenml(
  deviceId: string,
  readings: readonly SimReading[],
  valueAsString = false,
): string {
  const ts = readings[0]?.ts ?? 0;
  let body = '';
  for (const r of readings) {
    const value = valueText(r.value, valueAsString);
    const unit = unitOf(r.metric);
    if (body === '') {
      body = `{"bn":"${senmlBaseName(deviceId)}","bt":${ts / 1000},"n":"${senmlName(r)}","u":"${unit}","v":${value}}`;
    } else {
      const t = r.ts === ts ? '' : `,"t":${(r.ts - ts) / 1000}`;
      body += `,{"n":"${senmlName(r)}","u":"${unit}","v":${value}${t}}`;
    }
  }
  return `[${body}]`;
}

export function encodePayload(
  format: UplinkFormat,
  deviceId: string,
  seq: number,
  readings: readonly SimReading[],
  valueAsString = false,
): string {
  return format === 'json'
    ? encodeEnvelope(deviceId, seq, readings, valueAsString)
    : encodeSenml(deviceId, readings, valueAsString);
}

/** A payload cut in half: the prefix of a JSON object or array is never valid JSON. */
export function truncatePayload(payload: string): string {
  return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
}

/** A value the catalogue calls implausible for the metric (beyond its range, whole if it must be). */
export function outOfRangeValue(metric: MetricId): number {
  const { range } = getMetric(metric);
  return range.max > 0 ? range.max * 2 + 1 : range.min - Math.abs(range.min) - 1;
}
