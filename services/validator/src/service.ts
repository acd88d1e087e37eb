import {
  createKafka,
  groupConsumers,
  type Logger,
  type OpsServer,
  startOpsServer,
} from '@terrapulse/service-kit';
import { KafkaDeviceDirectory } from './adapters/kafka/kafka-device-directory.js';
import { KafkaOutputSink } from './adapters/kafka/kafka-output-sink.js';
import { KafkaRawUplinkSource } from './adapters/kafka/kafka-raw-uplink-source.js';
import { LeanOutputSink } from './adapters/kafka/lean-output-sink.js';
import { createValidator, type Validator } from './app.js';
import type { ValidatorConfig } from './config.js';
import { createValidatorMetrics, type ValidatorMetrics } from './metrics.js';

export interface ValidatorService {
  readonly validator: Validator;
  readonly metrics: ValidatorMetrics;
  readonly ops: OpsServer;
  /** Stops the validator (committing what is durable), then the ops endpoint. */
  stop(): Promise<void>;
}

export interface ValidatorServiceOptions {
  readonly logger: Logger;
  /** Process metrics on /metrics; turn off when running several validators in one process. */
  readonly processMetrics?: boolean;
}

/**
 * Wires the validator on Kafka and serves its ops endpoint, which answers (degraded) while the
 * registry loads. What main.ts runs, and what tests and an in-process orchestrator can run too.
 */
export async function startValidatorService(
  config: ValidatorConfig,
  options: ValidatorServiceOptions,
): Promise<ValidatorService> {
  const { logger } = options;
  const metrics = createValidatorMetrics({ processMetrics: options.processMetrics ?? true });
  const clientId = `${config.KAFKA_CLIENT_ID}-${config.VALIDATOR_INSTANCE_ID}`;
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId, logger });
  const validator = createValidator({
    source: new KafkaRawUplinkSource(
      groupConsumers({ kind: config.KAFKA_CONSUMER, kafka, brokers: config.KAFKA_BROKERS, clientId, logger }),
      {
        topic: config.TOPIC_RAW,
        groupId: config.KAFKA_GROUP_ID,
        partitionsConsumedConcurrently: config.PARTITIONS_CONSUMED_CONCURRENTLY,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
        fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
        logger: logger.child({ component: 'raw-source' }),
        metrics,
      },
    ),
    sink:
      config.KAFKA_PRODUCER === 'lean'
        ? new LeanOutputSink({
            brokers: config.KAFKA_BROKERS,
            clientId,
            logger: logger.child({ component: 'output-sink' }),
          })
        : new KafkaOutputSink(kafka),
    directory: new KafkaDeviceDirectory(kafka, {
      topic: config.TOPIC_REGISTRY,
      groupId: `${config.KAFKA_GROUP_ID}-registry-${config.VALIDATOR_INSTANCE_ID}`,
      logger: logger.child({ component: 'registry' }),
      metrics,
    }),
    metrics,
    logger,
    policy: { maxFutureSkewMs: config.MAX_FUTURE_SKEW_MS, maxAgeMs: config.MAX_READING_AGE_MS },
    topics: { readings: config.TOPIC_READINGS, rejected: config.TOPIC_REJECTED },
    maxSendBytes: config.OUTPUT_MAX_SEND_BYTES,
  });
  const ops = await startOpsServer({
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    registry: metrics.registry,
    health: () => validator.health(),
    logger,
  });
  try {
    await validator.start();
  } catch (error) {
    await validator.stop().catch(() => {});
    await ops.close();
    throw error;
  }
  return {
    validator,
    metrics,
    ops,
    async stop() {
      await validator.stop();
      await ops.close();
    },
  };
}
