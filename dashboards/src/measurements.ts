/**
 * The InfluxDB measurements the dashboards read (services/influx-writer/SCHEMA.md and
 * services/indicators/SCHEMA.md). Queries name them bare; a deployment or a test with
 * INFLUX_MEASUREMENT_PREFIX rewrites them with `withMeasurementPrefix` (panel-queries.ts).
 */
export const MEASUREMENTS = [
  'reading',
  'aggregate_15m',
  'aggregate_1h',
  'aggregate_1d',
  'rejection',
  'indicator_energy_1d',
  'indicator_night_flow',
  'indicator_network_yield',
  'fleet_devices',
  'device_status',
  'pipeline_lag',
] as const;
export type Measurement = (typeof MEASUREMENTS)[number];
