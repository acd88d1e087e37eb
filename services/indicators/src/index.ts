export { InfluxAggregateReader } from './adapters/influxdb/influx-aggregate-reader.js';
export { InfluxHttp, type InfluxSeries, type InfluxSettings } from './adapters/influxdb/influx-http.js';
export { KafkaLagProbe, type WatchedGroup } from './adapters/kafka/kafka-lag-probe.js';
export {
  KafkaRegistryCatalog,
  type KafkaRegistryCatalogOptions,
} from './adapters/kafka/kafka-registry-catalog.js';
export { createIndicatorsApp, type IndicatorsApp, type IndicatorsAppDeps } from './app.js';
export {
  type ComputeIndicatorsOptions,
  computeIndicators,
  createIndicatorComputer,
  type DayBound,
  type IndicatorComputer,
  type IndicatorComputerDeps,
  type IndicatorCounts,
  type IndicatorRun,
  type IndicatorSettings,
} from './compute-indicators.js';
export { DEFAULT_PIPELINE_GROUPS, type IndicatorsConfig, IndicatorsEnv, loadConfig } from './config.js';
export * from './domain/index.js';
export { JOB_CATALOGUE, JOB_NAMES, type JobData, type JobName } from './jobs/job-catalogue.js';
export { type JobHandlers, JobRunner, type JobRunnerOptions } from './jobs/job-runner.js';
export { createIndicatorsMetrics, type IndicatorsMetrics } from './metrics.js';
export * from './ports/index.js';
export { type RegistrySnapshotOptions, readRegistrySnapshot } from './registry-snapshot.js';
export { type IndicatorsService, startIndicatorsService } from './service.js';
export { snapshotTime, writeFleetSnapshot, writeLagSnapshot } from './snapshots.js';
