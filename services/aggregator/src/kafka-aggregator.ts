import { createKafka, groupConsumers, type Logger } from '@terrapulse/service-kit';
import {
  KafkaAggregateSink,
  KafkaCheckpointStore,
  KafkaReadingSource,
  LeanAggregateSink,
} from './adapters/kafka/index.js';
import { type Aggregator, createAggregator } from './app.js';
import { type AggregatorConfig, aggregatorOptions } from './config.js';
import type { AggregatorMetrics } from './metrics.js';

/**
 * The aggregator wired to Kafka as the configuration says: what main.ts runs, and what tests
 * and the bench start in-process with their own topics and group.
 */
export function createKafkaAggregator(
  config: AggregatorConfig,
  logger: Logger,
  metrics?: AggregatorMetrics,
): Aggregator {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
  const source = new KafkaReadingSource(kafka, {
    topic: config.TOPIC_READINGS,
    groupId: config.KAFKA_GROUP_ID,
    consumers: groupConsumers({
      kind: config.KAFKA_CONSUMER,
      kafka,
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      logger,
    }),
    fromBeginning: config.AGGREGATOR_START_FROM === 'earliest',
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
    fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
    fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
    logger,
  });
  const sink =
    config.KAFKA_PRODUCER === 'lean'
      ? new LeanAggregateSink({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topic: config.TOPIC_AGGREGATES,
          logger: logger.child({ component: 'aggregate-sink' }),
        })
      : new KafkaAggregateSink(kafka, { topic: config.TOPIC_AGGREGATES });
  const checkpoints = new KafkaCheckpointStore(kafka, {
    topic: config.TOPIC_CHECKPOINTS,
    inputTopic: config.TOPIC_READINGS,
    groupId: config.KAFKA_GROUP_ID,
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    logger,
  });
  const options = aggregatorOptions(config);
  return createAggregator({ source, sink, checkpoints, logger, options, ...(metrics ? { metrics } : {}) });
}
