import {
  checkPlausibility,
  convertToCanonicalUnit,
  type DeviceTimestamp,
  type EnvelopeReading,
  getMetric,
  type NormalizedReading,
  normalizeDims,
  readingTimeMs,
} from '@terrapulse/contracts';
import type { RejectionCause } from './dead-letter.js';
import type { KnownDevice } from './device-table.js';
import type { ValidationPolicy } from './validation-policy.js';

/** What a reading needs from its message: the envelope defaults and the bridge's receive time. */
export interface ReadingContext {
  readonly deviceId: string;
  readonly device: KnownDevice;
  readonly envelopeTs: DeviceTimestamp | undefined;
  readonly seq: number | undefined;
  readonly receivedAt: number;
  readonly policy: ValidationPolicy;
}

export type ReadingCheck =
  | { readonly ok: true; readonly reading: NormalizedReading }
  | ({ readonly ok: false; readonly field: string } & RejectionCause);

const refuse = (
  field: string,
  reason: RejectionCause['reason'],
  detail: string,
): Extract<ReadingCheck, { ok: false }> => ({ ok: false, field, reason, detail });

/**
 * Checks one decoded reading against the device and the catalogue, in the order an operator
 * fixes them: declared metric, dimensions, unit, plausible value, time. Times are judged against
 * the bridge's receivedAt, not this process's clock, so a replayed message gets the same verdict.
 */
export function normalizeReading(reading: EnvelopeReading, ctx: ReadingContext): ReadingCheck {
  const metric = getMetric(reading.metric);
  if (!ctx.device.declared.has(metric.id)) {
    return refuse('metric', 'METRIC_NOT_DECLARED', `${metric.id} is not declared for device ${ctx.deviceId}`);
  }
  const dims = normalizeDims(reading.dims);
  for (const name in dims) {
    if (!(metric.dimensions as readonly string[]).includes(name)) {
      return refuse('dims', 'DIMENSION_INVALID', `${metric.id} takes no dimension ${name}`);
    }
  }
  const converted = convertToCanonicalUnit(metric.id, reading.value, reading.unit);
  if (!converted.ok) return refuse('unit', 'UNIT_INVALID', converted.reason);
  const plausible = checkPlausibility(metric.id, converted.value);
  if (!plausible.ok) return refuse('value', 'VALUE_OUT_OF_RANGE', plausible.reason);

  const ts = readingTimeMs(ctx.envelopeTs, reading, ctx.receivedAt);
  if (!Number.isSafeInteger(ts)) return refuse('ts', 'SCHEMA_INVALID', `timestamp ${ts} is not a time`);
  if (ts > ctx.receivedAt + ctx.policy.maxFutureSkewMs) {
    const ahead = ts - ctx.receivedAt;
    return refuse('ts', 'TIMESTAMP_IN_FUTURE', `timestamp ${ts} is ${ahead} ms after reception`);
  }
  if (ts < ctx.receivedAt - ctx.policy.maxAgeMs || ts < 0) {
    const age = ctx.receivedAt - ts;
    return refuse('ts', 'TIMESTAMP_TOO_OLD', `timestamp ${ts} is ${age} ms before reception`);
  }
  const { record } = ctx.device;
  const normalized: { -readonly [K in keyof NormalizedReading]: NormalizedReading[K] } = {
    deviceId: ctx.deviceId,
    tenant: record.tenant,
    site: record.site,
    domain: metric.domain,
    metric: metric.id,
    kind: metric.kind,
    unit: metric.unit,
    value: converted.value,
    ts,
    receivedAt: ctx.receivedAt,
    dims,
  };
  // Added last, as a spread would, without the spread's two extra objects per reading.
  if (ctx.seq !== undefined) normalized.sourceSeq = ctx.seq;
  return { ok: true, reading: normalized };
}
