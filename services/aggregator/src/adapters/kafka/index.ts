export { KafkaAggregateSink, type KafkaAggregateSinkOptions } from './kafka-aggregate-sink.js';
export {
  CHECKPOINT_TOPIC_CONFIG,
  KafkaCheckpointStore,
  type KafkaCheckpointStoreOptions,
} from './kafka-checkpoint-store.js';
export { KafkaReadingSource, type KafkaReadingSourceOptions } from './kafka-reading-source.js';
export { LeanAggregateSink, type LeanAggregateSinkOptions } from './lean-aggregate-sink.js';
