import { getMetric, MetricId } from './metric-catalogue.js';
import { DeviceId } from './primitives.js';
import { EnvelopeReading } from './reading-envelope.js';
import type { RejectionReason } from './rejection.js';
import type { ResolvedSenmlRecord } from './senml.js';

/**
 * Terrapulse's SenML naming convention:
 * - base name `urn:dev:tp:{deviceId}:`: the `urn:dev` namespace of RFC 9039 with a private `tp`
 *   subtype (not registered; it only has to be unambiguous inside Terrapulse), so the device's
 *   identity is in the payload, as in the envelope, and can be checked against the topic;
 * - record name = metric id, then one `/{value}` segment per dimension the metric declares, in the
 *   catalogue's order: `mobility.vehicle_count/truck` is the truck count;
 * - numeric values in `v`; a `state` metric may use `vb` (true = 1); times in seconds (`bt` + `t`).
 */
export const SENML_NAME_PREFIX = 'urn:dev:tp:';

export function senmlBaseName(deviceId: string): string {
  return `${SENML_NAME_PREFIX}${deviceId}:`;
}

export function senmlRecordName(
  metric: MetricId,
  dims: Readonly<Record<string, string | undefined>> = {},
): string {
  const segments = getMetric(metric)
    .dimensions.map((name) => dims[name])
    .filter((value) => value !== undefined);
  return [metric, ...segments].join('/');
}

export type SenmlMapping =
  | { ok: true; deviceId: string; readings: EnvelopeReading[] }
  | { ok: false; reason: RejectionReason; index: number; detail: string };

type Failure = Extract<SenmlMapping, { ok: false }>;
const fail = (reason: RejectionReason, index: number, detail: string): Failure => ({
  ok: false,
  reason,
  index,
  detail,
});

function parseName(record: ResolvedSenmlRecord): { deviceId: string; path: string } | Failure {
  if (!record.name.startsWith(SENML_NAME_PREFIX)) {
    return fail(
      'SCHEMA_INVALID',
      record.index,
      `name ${record.name} does not start with ${SENML_NAME_PREFIX}`,
    );
  }
  const rest = record.name.slice(SENML_NAME_PREFIX.length);
  const colon = rest.indexOf(':');
  const deviceId = colon < 0 ? rest : rest.slice(0, colon);
  if (colon < 0 || !DeviceId.safeParse(deviceId).success) {
    return fail('SCHEMA_INVALID', record.index, `name ${record.name} is not urn:dev:tp:{deviceId}:{metric}`);
  }
  return { deviceId, path: rest.slice(colon + 1) };
}

function toReading(record: ResolvedSenmlRecord, path: string): EnvelopeReading | Failure {
  const [metricText = '', ...dimValues] = path.split('/');
  const parsed = MetricId.safeParse(metricText);
  if (!parsed.success)
    return fail('UNKNOWN_METRIC', record.index, `unknown metric ${JSON.stringify(metricText)}`);
  const metric = getMetric(parsed.data);
  if (dimValues.length > metric.dimensions.length) {
    return fail(
      'DIMENSION_INVALID',
      record.index,
      `${metric.id} takes dimensions [${metric.dimensions.join(', ')}]`,
    );
  }
  let value = record.value;
  if (value === undefined && record.boolValue !== undefined && metric.kind === 'state') {
    value = record.boolValue ? 1 : 0;
  }
  if (value === undefined) {
    return fail('SCHEMA_INVALID', record.index, `${metric.id} needs a numeric value (v)`);
  }
  const dims: Record<string, string> = {};
  for (const [i, dimValue] of dimValues.entries()) {
    const name = metric.dimensions[i];
    if (name !== undefined) dims[name] = dimValue;
  }
  const reading = EnvelopeReading.safeParse({
    metric: metric.id,
    value,
    ts: Math.round(record.time * 1000),
    ...(record.unit !== undefined && { unit: record.unit }),
    ...(dimValues.length > 0 && { dims }),
  });
  if (!reading.success) {
    const issue = reading.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const reason = where.startsWith('dims') ? 'DIMENSION_INVALID' : 'SCHEMA_INVALID';
    return fail(reason, record.index, `${record.name}: ${where} ${issue?.message ?? 'is invalid'}`.trim());
  }
  return reading.data;
}

/**
 * Maps resolved records to envelope readings, so the validator runs one code path for both formats.
 * Every record must name the same device, and `expectedDeviceId` (the topic's) when given; the
 * first record that cannot be mapped fails the whole pack, as a bad envelope would.
 */
export function senmlToReadings(
  records: readonly ResolvedSenmlRecord[],
  expectedDeviceId?: string,
): SenmlMapping {
  if (records.length === 0) return fail('SCHEMA_INVALID', 0, 'the pack carries no value');
  let deviceId = expectedDeviceId;
  const readings: EnvelopeReading[] = [];
  for (const record of records) {
    const name = parseName(record);
    if ('ok' in name) return name;
    if (deviceId === undefined) deviceId = name.deviceId;
    if (name.deviceId !== deviceId) {
      return fail(
        'IDENTITY_MISMATCH',
        record.index,
        `record names device ${name.deviceId}, expected ${deviceId}`,
      );
    }
    const reading = toReading(record, name.path);
    if ('ok' in reading) return reading;
    readings.push(reading);
  }
  return { ok: true, deviceId: deviceId ?? '', readings };
}
