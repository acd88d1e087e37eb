import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface IndicatorsMetrics {
  readonly registry: Registry;
  readonly jobs: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job'>;
  readonly pointsWritten: Counter<'job'>;
  readonly lastSuccess: Gauge<'job'>;
  readonly registryDevices: Gauge;
  readonly registryInvalidRecords: Counter;
}

/** The service's Prometheus metrics, on their own registry (several instances per test process). */
export function createIndicatorsMetrics(options: { processMetrics?: boolean } = {}): IndicatorsMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'terrapulse_indicators_' });
  const registers = [registry];
  return {
    registry,
    jobs: new Counter({
      name: 'terrapulse_indicators_jobs_total',
      help: 'Jobs run, by job name and outcome (ok, failed)',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'terrapulse_indicators_job_duration_seconds',
      help: 'Time per job, queries and writes included',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    pointsWritten: new Counter({
      name: 'terrapulse_indicators_points_total',
      help: 'Points written to InfluxDB, by job',
      labelNames: ['job'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'terrapulse_indicators_last_success_seconds',
      help: 'Unix time of the last successful run, by job (alert when it stops moving)',
      labelNames: ['job'],
      registers,
    }),
    registryDevices: new Gauge({
      name: 'terrapulse_indicators_registry_devices',
      help: 'Devices in the in-memory registry table',
      registers,
    }),
    registryInvalidRecords: new Counter({
      name: 'terrapulse_indicators_registry_invalid_records_total',
      help: 'Registry records that could not be read (ignored)',
      registers,
    }),
  };
}
