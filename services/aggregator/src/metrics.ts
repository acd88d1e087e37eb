import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a reading became: counted once per input record. */
export type ReadingOutcome = 'applied' | 'duplicate' | 'too_late' | 'invalid';

export interface AggregatorMetrics {
  readonly registry: Registry;
  readonly readings: Counter<'outcome'>;
  readonly windowDuplicates: Counter<'window'>;
  readonly windowTooLate: Counter<'window'>;
  readonly aggregates: Counter<'window' | 'state'>;
  readonly openWindows: Gauge;
  readonly series: Gauge;
  readonly assignedPartitions: Gauge;
  readonly inputLag: Gauge;
  readonly checkpoints: Counter;
  readonly checkpointBytes: Gauge;
  readonly checkpointSeconds: Histogram;
  readonly restoreSeconds: Histogram;
  readonly dependencyFailures: Counter<'operation'>;
}

/** A registry of its own per instance, so tests and the bench can run several side by side. */
export function createAggregatorMetrics(): AggregatorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    readings: new Counter({
      name: 'terrapulse_aggregator_readings_total',
      help: 'Input records by outcome: applied to a window, duplicate or too late for every window, invalid',
      labelNames: ['outcome'],
      registers,
    }),
    windowDuplicates: new Counter({
      name: 'terrapulse_aggregator_window_duplicates_total',
      help: 'Readings ignored by a window that already held a reading of the series at that time',
      labelNames: ['window'],
      registers,
    }),
    windowTooLate: new Counter({
      name: 'terrapulse_aggregator_window_too_late_total',
      help: 'Readings refused by a window already closed (past its end plus the allowed lateness)',
      labelNames: ['window'],
      registers,
    }),
    aggregates: new Counter({
      name: 'terrapulse_aggregator_aggregates_total',
      help: 'Aggregates published, by window and state (update of an open window, or final on close)',
      labelNames: ['window', 'state'],
      registers,
    }),
    openWindows: new Gauge({
      name: 'terrapulse_aggregator_open_windows',
      help: 'Windows held in memory (and in checkpoints)',
      registers,
    }),
    series: new Gauge({
      name: 'terrapulse_aggregator_series',
      help: 'Series (device, metric, dimensions) known to this instance',
      registers,
    }),
    assignedPartitions: new Gauge({
      name: 'terrapulse_aggregator_assigned_partitions',
      help: 'Input partitions this instance owns',
      registers,
    }),
    inputLag: new Gauge({
      name: 'terrapulse_aggregator_input_lag_records',
      help: 'Input records not processed yet, as of the latest fetched high watermarks',
      registers,
    }),
    checkpoints: new Counter({
      name: 'terrapulse_aggregator_checkpoints_total',
      help: 'Checkpoints written (one per write, covering every partition that moved)',
      registers,
    }),
    checkpointBytes: new Gauge({
      name: 'terrapulse_aggregator_checkpoint_bytes',
      help: 'Size of the latest checkpoint write, all partitions together',
      registers,
    }),
    checkpointSeconds: new Histogram({
      name: 'terrapulse_aggregator_checkpoint_duration_seconds',
      help: 'Time to flush pending aggregates, write the checkpoint and commit offsets',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    restoreSeconds: new Histogram({
      name: 'terrapulse_aggregator_restore_duration_seconds',
      help: 'Time to load and restore the checkpoints of a new assignment',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    dependencyFailures: new Counter({
      name: 'terrapulse_aggregator_dependency_failures_total',
      help: 'Failed attempts at an operation on Kafka, retried with backoff',
      labelNames: ['operation'],
      registers,
    }),
  };
}
