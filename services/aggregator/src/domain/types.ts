/**
 * The records the domain works on are the contract's: a reading as the validator publishes it on
 * `telemetry.readings`, an aggregate as the aggregator publishes it on `telemetry.aggregates`.
 * Type-only imports, so the domain stays free of runtime dependencies.
 */

import type { AggregateWindow } from '@terrapulse/contracts';

export type {
  Aggregate,
  CanonicalUnit,
  Domain,
  MetricId,
  MetricKind,
  NormalizedReading,
} from '@terrapulse/contracts';

export type WindowKind = AggregateWindow;

export const WINDOW_KINDS: readonly WindowKind[] = ['15m', '1h', '1d'];

/** A value at an instant: the unit of the consumption chain. */
export type TimedValue = { ts: number; value: number };
