import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ValidatorMetrics {
  readonly registry: Registry;
  readonly messagesIn: Counter;
  readonly readingsOut: Counter;
  readonly rejected: Counter<'reason'>;
  readonly registryDevices: Gauge;
  readonly registryInvalidRecords: Counter;
  readonly batchDuration: Histogram<'stage'>;
  readonly consumerLag: Gauge<'partition'>;
  readonly sendFailures: Counter;
  readonly commitFailures: Counter;
}

export interface ValidatorMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag), prefixed. Off in tests that build many. */
  readonly processMetrics?: boolean;
}

/**
 * The validator's Prometheus metrics, on their own registry so that several validators in one
 * process (tests, the in-process orchestrator) never collide.
 */
export function createValidatorMetrics(options: ValidatorMetricsOptions = {}): ValidatorMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'terrapulse_validator_' });
  const registers = [registry];
  return {
    registry,
    messagesIn: new Counter({
      name: 'terrapulse_validator_messages_total',
      help: 'Raw messages consumed from telemetry.raw',
      registers,
    }),
    readingsOut: new Counter({
      name: 'terrapulse_validator_readings_total',
      help: 'Normalized readings written to telemetry.readings',
      registers,
    }),
    rejected: new Counter({
      name: 'terrapulse_validator_rejected_total',
      help: 'Dead letters written to telemetry.rejected, by reason code',
      labelNames: ['reason'],
      registers,
    }),
    registryDevices: new Gauge({
      name: 'terrapulse_validator_registry_devices',
      help: 'Devices in the in-memory registry table',
      registers,
    }),
    registryInvalidRecords: new Counter({
      name: 'terrapulse_validator_registry_invalid_records_total',
      help: 'Registry records that could not be read (ignored, previous entry kept)',
      registers,
    }),
    batchDuration: new Histogram({
      name: 'terrapulse_validator_batch_duration_seconds',
      help: 'Time per Kafka batch: validate = CPU work, send = waiting for Kafka to acknowledge output',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'terrapulse_validator_consumer_lag',
      help: 'Messages of telemetry.raw behind the high watermark, per partition, at the last batch',
      labelNames: ['partition'],
      registers,
    }),
    sendFailures: new Counter({
      name: 'terrapulse_validator_send_failures_total',
      help: 'Output sends that failed and were retried',
      registers,
    }),
    commitFailures: new Counter({
      name: 'terrapulse_validator_commit_failures_total',
      help: 'Offset commits that failed (the next commit carries the offsets)',
      registers,
    }),
  };
}
