import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { MEASUREMENT_KINDS } from './domain/line-protocol.js';

/** The writer's Prometheus metrics, on their own registry (tests run several writers at once). */
export interface WriterMetrics {
  readonly registry: Registry;
  readonly recordsConsumed: Counter<'stream'>;
  readonly recordsSkipped: Counter<'stream' | 'cause'>;
  readonly pointsWritten: Counter<'measurement'>;
  readonly writeDuration: Histogram<'outcome'>;
  readonly batchPoints: Histogram;
  readonly writeRetries: Counter<'code'>;
  readonly influxUp: Gauge;
  readonly pendingPoints: Gauge;
  readonly pausedPartitions: Gauge;
  readonly offsetCommitFailures: Counter;
}

export interface WriterMetricsOptions {
  /** Also collect process metrics (memory, CPU, event loop lag): on in main, off in tests. */
  readonly processMetrics?: boolean;
}

export function createWriterMetrics(options: WriterMetricsOptions = {}): WriterMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: WriterMetrics = {
    registry,
    recordsConsumed: new Counter({
      name: 'terrapulse_influx_writer_records_consumed_total',
      help: 'Kafka records taken from each stream',
      labelNames: ['stream'],
      registers,
    }),
    recordsSkipped: new Counter({
      name: 'terrapulse_influx_writer_records_skipped_total',
      help: 'Records not stored because of their content, by stream and cause (committed anyway)',
      labelNames: ['stream', 'cause'],
      registers,
    }),
    pointsWritten: new Counter({
      name: 'terrapulse_influx_writer_points_written_total',
      help: 'Points InfluxDB accepted, by measurement (without the deployment prefix)',
      labelNames: ['measurement'],
      registers,
    }),
    writeDuration: new Histogram({
      name: 'terrapulse_influx_writer_write_duration_seconds',
      help: 'Duration of one write request to InfluxDB, by outcome (accepted, rejected, failed)',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    batchPoints: new Histogram({
      name: 'terrapulse_influx_writer_batch_points',
      help: 'Points per batch when it closes',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000],
      registers,
    }),
    writeRetries: new Counter({
      name: 'terrapulse_influx_writer_write_retries_total',
      help: 'Write attempts that failed and will be retried, by error code',
      labelNames: ['code'],
      registers,
    }),
    influxUp: new Gauge({
      name: 'terrapulse_influx_writer_influxdb_up',
      help: '1 when the last request to InfluxDB got an answer, 0 while it cannot be reached',
      registers,
    }),
    pendingPoints: new Gauge({
      name: 'terrapulse_influx_writer_pending_points',
      help: 'Points encoded but not yet accepted by InfluxDB (open, queued and in-flight batches)',
      registers,
    }),
    pausedPartitions: new Gauge({
      name: 'terrapulse_influx_writer_paused_partitions',
      help: 'Partitions whose consumption waits for a write to complete',
      registers,
    }),
    offsetCommitFailures: new Counter({
      name: 'terrapulse_influx_writer_offset_commit_failures_total',
      help: 'Kafka offset commits that failed (retried; the data is already durable)',
      registers,
    }),
  };
  for (const measurement of MEASUREMENT_KINDS) metrics.pointsWritten.inc({ measurement }, 0);
  return metrics;
}
