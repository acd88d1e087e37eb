import { z } from 'zod';
import { dimsKey, NormalizedDims } from './dimensions.js';
import { CanonicalUnit, Domain, MetricId, MetricKind } from './metric-catalogue.js';
import { catalogueMismatches } from './normalized-reading.js';
import { DeviceId, EpochMs, IanaTimezone, Slug } from './primitives.js';

/**
 * Window sizes. Boundaries are aligned in the aggregate's `timezone`, so a `1d` window is a local
 * calendar day: 23 or 25 hours long on daylight-saving change days, which is what a planner
 * comparing days of consumption expects.
 */
export const AggregateWindow = z.enum(['15m', '1h', '1d']).describe('Window size');
export type AggregateWindow = z.infer<typeof AggregateWindow>;

/**
 * The record on `telemetry.aggregates`: statistics of one device, metric and dimensions over one
 * event-time window, in the canonical unit. A window recomputed (late data, restart) is emitted
 * again with the same `aggregateKey` and replaces the previous one.
 */
export const Aggregate = z
  .object({
    deviceId: DeviceId,
    tenant: Slug,
    site: Slug,
    domain: Domain,
    metric: MetricId,
    kind: MetricKind,
    unit: CanonicalUnit,
    dims: NormalizedDims,
    window: AggregateWindow,
    windowStart: EpochMs.describe('Start of the window, inclusive'),
    windowEnd: EpochMs.describe('End of the window, exclusive'),
    count: z.int().min(1).describe('Distinct readings in the window'),
    sum: z.number(),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    last: z.number().describe('Value of the latest reading in the window'),
    lastTs: EpochMs.describe('Time of the latest reading in the window'),
    consumption: z
      .number()
      .min(0)
      .optional()
      .describe(
        'Cumulative indexes only: latest index in the window minus the latest index before it (or the ' +
          'first in the window when none is known). Absent when the index went down (meter replaced, rollover)',
      ),
    timezone: IanaTimezone.describe('Time zone the window boundaries are aligned in'),
    computedAt: EpochMs.describe('When this version of the window was computed'),
  })
  .superRefine((a, ctx) => {
    for (const message of catalogueMismatches(a)) ctx.addIssue({ code: 'custom', message });
    if (a.windowEnd <= a.windowStart)
      ctx.addIssue({ code: 'custom', message: 'windowEnd must follow windowStart' });
    // mean is not checked against [min, max]: sum / count of equal values can overshoot max by an ulp.
    if (a.min > a.max) ctx.addIssue({ code: 'custom', message: 'min must not exceed max' });
    if (a.lastTs < a.windowStart || a.lastTs >= a.windowEnd) {
      ctx.addIssue({
        code: 'custom',
        path: ['lastTs'],
        message: 'lastTs must lie in [windowStart, windowEnd)',
      });
    }
    if (a.consumption !== undefined && a.kind !== 'cumulative_index') {
      ctx.addIssue({
        code: 'custom',
        path: ['consumption'],
        message: 'only cumulative indexes have a consumption',
      });
    }
  })
  .describe('Statistics of one device, metric and dimensions over one window');
export type Aggregate = z.infer<typeof Aggregate>;

/** Identity of a window: the same key means the same window, so the latest computation wins. */
export function aggregateKey(
  a: Pick<Aggregate, 'deviceId' | 'metric' | 'dims' | 'window' | 'windowStart'>,
): string {
  return `${a.deviceId}|${a.metric}|${dimsKey(a.dims)}|${a.window}|${a.windowStart}`;
}
