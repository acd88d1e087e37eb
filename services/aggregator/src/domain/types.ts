/**
 * Local mirror of the contract records. Replace with imports from `@terrapulse/contracts`
 * once the reading and aggregate schemas are published there.
 */

export type Domain = 'energy' | 'water' | 'mobility';

export type MetricKind = 'cumulative_index' | 'instantaneous' | 'count_per_interval' | 'state';

/** A reading as the validator publishes it on `telemetry.readings`. */
export type NormalizedReading = {
  deviceId: string;
  tenant: string;
  site: string;
  domain: Domain;
  metric: string;
  kind: MetricKind;
  unit: string;
  value: number;
  /** Event time, epoch ms: when the device measured the value. */
  ts: number;
  /** Epoch ms at which the pipeline received the reading. */
  receivedAt: number;
  dims: Record<string, string>;
  sourceSeq?: number;
};

export type WindowKind = '15m' | '1h' | '1d';

export const WINDOW_KINDS: readonly WindowKind[] = ['15m', '1h', '1d'];

/** One window of one series, as published on `telemetry.aggregates`. */
export type Aggregate = {
  deviceId: string;
  tenant: string;
  site: string;
  domain: Domain;
  metric: string;
  unit: string;
  dims: Record<string, string>;
  window: WindowKind;
  /** Inclusive, epoch ms. */
  windowStart: number;
  /** Exclusive, epoch ms. */
  windowEnd: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  /** Value of the reading with the greatest timestamp. */
  last: number;
  lastTs: number;
  /** Only for `cumulative_index` metrics: index increase attributed to this window. */
  consumption?: number;
  /** Only for `cumulative_index` metrics: counter resets or meter replacements seen in the chain. */
  resets?: number;
  /** IANA time zone the window was cut in. */
  timezone: string;
  computedAt: number;
};

/** A value at an instant: the unit of the consumption chain. */
export type TimedValue = { ts: number; value: number };
