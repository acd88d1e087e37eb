export {
  KafkaDeviceDirectory,
  type KafkaDeviceDirectoryOptions,
} from './adapters/kafka/kafka-device-directory.js';
export { KafkaOutputSink } from './adapters/kafka/kafka-output-sink.js';
export {
  KafkaRawUplinkSource,
  type KafkaRawUplinkSourceOptions,
} from './adapters/kafka/kafka-raw-uplink-source.js';
export { createValidator, type Validator, type ValidatorDeps } from './app.js';
export { type BatchProcessorOptions, createBatchProcessor } from './batch-processor.js';
export {
  loadConfig,
  loadSeedConfig,
  type SeedConfig,
  SeedEnv,
  type ValidatorConfig,
  ValidatorEnv,
} from './config.js';
export * from './domain/index.js';
export { createValidatorMetrics, type ValidatorMetrics, type ValidatorMetricsOptions } from './metrics.js';
export type * from './ports/index.js';
export { type DeviceSeed, parseDeviceSeed, publishDeviceRecords, type SeedProblem } from './registry-seed.js';
export { startValidatorService, type ValidatorService, type ValidatorServiceOptions } from './service.js';
