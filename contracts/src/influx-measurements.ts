import type { AggregateWindow } from './aggregate.js';

/**
 * The InfluxDB measurements of Terrapulse, named once: the influx-writer and the indicators
 * service write them, the indicators service and the dashboards read them, tests query them.
 * Field and tag details: services/influx-writer/SCHEMA.md and services/indicators/SCHEMA.md.
 */

/** What the influx-writer stores from the telemetry topics. */
export const PIPELINE_MEASUREMENTS = [
  'reading',
  'aggregate_15m',
  'aggregate_1h',
  'aggregate_1d',
  'rejection',
] as const;
export type PipelineMeasurement = (typeof PIPELINE_MEASUREMENTS)[number];

/** What the indicators service computes from them, and its fleet and lag snapshots. */
export const INDICATOR_MEASUREMENTS = [
  'indicator_energy_1d',
  'indicator_night_flow',
  'indicator_network_yield',
  'fleet_devices',
  'device_status',
  'pipeline_lag',
] as const;
export type IndicatorMeasurement = (typeof INDICATOR_MEASUREMENTS)[number];

export const INFLUX_MEASUREMENTS = [...PIPELINE_MEASUREMENTS, ...INDICATOR_MEASUREMENTS] as const;
export type InfluxMeasurement = (typeof INFLUX_MEASUREMENTS)[number];

/** One line per measurement, for humans (dashboards, docs); the SCHEMA.md files give the columns. */
export const influxMeasurementDescriptions: Readonly<Record<InfluxMeasurement, string>> = Object.freeze({
  reading: 'Every validated reading, in its canonical unit, at its measurement time (influx-writer)',
  aggregate_15m: '15-minute aggregates per device and metric: count, min, max, mean, sum, last, consumption',
  aggregate_1h: 'Hourly aggregates per device and metric, same fields as aggregate_15m',
  aggregate_1d: 'Daily aggregates per device and metric, days cut in the aggregator time zone',
  rejection: 'Dead letters counted per device and reason code, at their reception time',
  indicator_energy_1d:
    'Daily kWh, kg CO2e (with the emission factor used) and kWh per m2 per energy device and carrier',
  indicator_night_flow:
    'Minimum hourly flow of each water device over the local hours 02:00-05:00 (leak indicator)',
  indicator_network_yield: 'Daily produced, consumed and lost m3 and yield per water sector',
  fleet_devices: 'Devices per tenant and lifecycle state, snapshot every minute',
  device_status:
    'Per-device lifecycle state, silence flag and seconds since the last reading, snapshot every minute',
  pipeline_lag: 'Records each consumer group still has to read, per topic, snapshot every 30 s',
});

/** Window of an aggregate -> the measurement it is stored in. */
export const AGGREGATE_MEASUREMENTS: Readonly<Record<AggregateWindow, PipelineMeasurement>> = Object.freeze({
  '15m': 'aggregate_15m',
  '1h': 'aggregate_1h',
  '1d': 'aggregate_1d',
});

/**
 * What INFLUX_MEASUREMENT_PREFIX may hold: tests and benchmarks write measurements of their own in
 * a shared database. Nothing that needs escaping, so a prefixed name is safe in line protocol and
 * in a double-quoted InfluxQL identifier alike.
 */
export const MEASUREMENT_PREFIX_PATTERN = /^[A-Za-z0-9_]*$/;

/** `kind -> <prefix><kind>` for the given measurements; the same prefix is read and written. */
export function prefixedMeasurements<K extends InfluxMeasurement>(
  kinds: readonly K[],
  prefix = '',
): Readonly<Record<K, string>> {
  if (!MEASUREMENT_PREFIX_PATTERN.test(prefix))
    throw new RangeError(`measurement prefix "${prefix}": letters, digits and _ only`);
  const names = {} as Record<K, string>;
  for (const kind of kinds) names[kind] = `${prefix}${kind}`;
  return Object.freeze(names);
}
