export {
  type LeanMessage,
  LeanProducer,
  type LeanProducerOptions,
  type LeanProducerStatus,
  type LeanTopicMessages,
} from './lean-producer.js';
export { LeanProduceError, type LeanProduceErrorCode } from './produce-error.js';
