export { forEachLimited } from './for-each-limited.js';
export { createKafka } from './kafka-client.js';
export {
  type LeanMessage,
  LeanProduceError,
  type LeanProduceErrorCode,
  LeanProducer,
  type LeanProducerOptions,
  type LeanProducerStatus,
  type LeanTopicMessages,
} from './kafka-lean/index.js';
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  silentLogger,
} from './logger.js';
export { memoizedDefaultPartitioner } from './memoized-partitioner.js';
export { type HealthReport, type OpsServer, type OpsServerOptions, startOpsServer } from './ops-server.js';
export { CommonEnv, formatEnvError, InfluxEnv, KafkaEnv, parseEnv, port } from './service-env.js';
export { onShutdownSignal } from './shutdown.js';
