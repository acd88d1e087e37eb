export { forEachLimited } from './for-each-limited.js';
export {
  type GroupBatch,
  type GroupBatchPayload,
  type GroupConsumer,
  type GroupConsumerClient,
  type GroupConsumerFactory,
  type GroupConsumerSettings,
  type GroupRecord,
  type GroupTopicPartitions,
  groupConsumers,
  KafkaConsumerKind,
  kafkajsGroupConsumers,
} from './group-consumer.js';
export { MAX_JSON_NUMBER_BYTES, writeJsonNumber } from './json-number-bytes.js';
export { JsonNumberReader } from './json-number-reader.js';
export { createKafka } from './kafka-client.js';
// Everything the lean Kafka clients export, listed once in their own index.
export * from './kafka-lean/index.js';
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  silentLogger,
} from './logger.js';
export { memoizedDefaultPartitioner } from './memoized-partitioner.js';
export { variableByteIntegerLength, writeVariableByteInteger } from './mqtt/variable-byte-integer.js';
export { type HealthReport, type OpsServer, type OpsServerOptions, startOpsServer } from './ops-server.js';
export { CommonEnv, formatEnvError, InfluxEnv, KafkaEnv, parseEnv, port } from './service-env.js';
export { onShutdownSignal } from './shutdown.js';
