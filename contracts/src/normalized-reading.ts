import { z } from 'zod';
import { dimsKey, NormalizedDims } from './dimensions.js';
import { CanonicalUnit, Domain, MetricId, MetricKind, metricCatalogue } from './metric-catalogue.js';
import { DeviceId, EpochMs, Slug } from './primitives.js';

/**
 * Checks that the denormalized domain, kind and unit agree with the catalogue: they are copied
 * into every reading so consumers need no lookup, and a disagreement is a producer bug.
 */
export function catalogueMismatches(r: {
  metric: MetricId;
  domain: Domain;
  unit: string;
  kind?: MetricKind;
}): string[] {
  const metric = metricCatalogue[r.metric];
  if (metric === undefined) return [`unknown metric ${r.metric}`];
  const problems: string[] = [];
  if (r.domain !== metric.domain) problems.push(`domain of ${r.metric} is ${metric.domain}, not ${r.domain}`);
  if (r.unit !== metric.unit) problems.push(`unit of ${r.metric} is ${metric.unit}, not ${r.unit}`);
  if (r.kind !== undefined && r.kind !== metric.kind) {
    problems.push(`kind of ${r.metric} is ${metric.kind}, not ${r.kind}`);
  }
  return problems;
}

/**
 * The record on `telemetry.readings`: one measurement, validated, in the canonical unit, with the
 * device's tenant and site from the registry at validation time.
 */
export const NormalizedReading = z
  .object({
    deviceId: DeviceId,
    tenant: Slug,
    site: Slug,
    domain: Domain,
    metric: MetricId,
    kind: MetricKind,
    unit: CanonicalUnit,
    value: z.number().describe('Value in the canonical unit'),
    ts: EpochMs.describe('Measurement time'),
    receivedAt: EpochMs.describe('When the bridge received the message'),
    dims: NormalizedDims,
    sourceSeq: z.int().min(0).optional().describe('The envelope seq the reading came from'),
  })
  .superRefine((r, ctx) => {
    for (const message of catalogueMismatches(r)) ctx.addIssue({ code: 'custom', message });
  })
  .describe('Validated reading in canonical units');
export type NormalizedReading = z.infer<typeof NormalizedReading>;

/**
 * Identity of a reading for deduplication: same device, metric, dimensions and timestamp means
 * the same measurement delivered again (MQTT redelivery, Kafka replay), whatever its value.
 * Format: `${deviceId}|${metric}|${dimsKey(dims)}|${ts}`, dims sorted by name.
 */
export function readingKey(r: Pick<NormalizedReading, 'deviceId' | 'metric' | 'dims' | 'ts'>): string {
  return `${r.deviceId}|${r.metric}|${dimsKey(r.dims)}|${r.ts}`;
}
