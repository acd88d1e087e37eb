export { KafkaGroupError } from './kafka-group-error.js';
export {
  type LeanBatch,
  LeanConsumer,
  type LeanConsumerEvent,
  type LeanConsumerEventPayloads,
  type LeanConsumerOptions,
  type LeanEachBatchPayload,
  type LeanGroupJoin,
  type LeanOffsets,
  type LeanRunOptions,
} from './lean-consumer.js';
export {
  type LeanMessage,
  LeanProducer,
  type LeanProducerOptions,
  type LeanProducerStatus,
  type LeanTopicMessages,
} from './lean-producer.js';
export { LeanProduceError, type LeanProduceErrorCode } from './produce-error.js';
export {
  type BatchProducer,
  type BatchRecord,
  type EncodedHeaders,
  encodeHeaders,
  encodeRecordBatch,
} from './record-batch.js';
export {
  type LeanRecord,
  type ReadBatches,
  readRecordBatches,
  UnsupportedBatchError,
} from './record-batch-reader.js';
