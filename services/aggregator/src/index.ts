export {
  CHECKPOINT_TOPIC_CONFIG,
  KafkaAggregateSink,
  type KafkaAggregateSinkOptions,
  KafkaCheckpointStore,
  type KafkaCheckpointStoreOptions,
  KafkaReadingSource,
  type KafkaReadingSourceOptions,
} from './adapters/kafka/index.js';
export {
  type Aggregator,
  type AggregatorDeps,
  type AggregatorOptions,
  createAggregator,
} from './app.js';
export { CheckpointFormatError, decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
export {
  type AggregatorConfig,
  AggregatorEnv,
  aggregatorOptions,
  DEFAULT_CHECKPOINT_TOPIC,
  loadConfig,
} from './config.js';
export {
  DEFAULT_TIME_ZONE,
  type TimeZoneRules,
  timeZoneRules,
  type WindowBounds,
  windowBounds,
} from './domain/index.js';
export { createKafkaAggregator } from './kafka-aggregator.js';
export { type AggregatorMetrics, createAggregatorMetrics } from './metrics.js';
export type { AggregateSink } from './ports/aggregate-sink.js';
export type { CheckpointStore, CheckpointWrite, PartitionCheckpoint } from './ports/checkpoint-store.js';
export type {
  BatchControl,
  ReadingSource,
  SourceBatch,
  SourceHandlers,
  SourceMessage,
} from './ports/reading-source.js';
