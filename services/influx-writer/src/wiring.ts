import { createKafka, groupConsumers, type Logger } from '@terrapulse/service-kit';
import { InfluxPointSink } from './adapters/influxdb/influx-point-sink.js';
import { KafkaRecordSource } from './adapters/kafka/kafka-record-source.js';
import { createInfluxWriter, type InfluxWriter } from './app.js';
import type { InfluxWriterConfig } from './config.js';
import { measurementNames } from './domain/line-protocol.js';
import type { WriterMetrics } from './metrics.js';

export interface BuildOptions {
  readonly logger: Logger;
  readonly metrics: WriterMetrics;
  readonly onFatal?: (error: Error) => void;
}

/** The writer with its real adapters (Kafka, InfluxDB), as main, tests and benchmarks run it. */
export function buildInfluxWriter(
  config: InfluxWriterConfig,
  { logger, metrics, onFatal }: BuildOptions,
): InfluxWriter {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
  const source = new KafkaRecordSource({
    consumers: groupConsumers({
      kind: config.KAFKA_CONSUMER,
      kafka,
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      logger,
    }),
    groupId: config.KAFKA_GROUP_ID,
    topics: {
      readings: config.TOPIC_READINGS,
      aggregates: config.TOPIC_AGGREGATES,
      rejections: config.TOPIC_REJECTED,
    },
    fromBeginning: config.KAFKA_FROM_BEGINNING,
    maxWaitTimeMs: config.KAFKA_MAX_WAIT_MS,
    fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
    maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    logger: logger.child({ component: 'kafka-source' }),
    metrics,
  });
  const sink = new InfluxPointSink({
    url: config.INFLUX_URL,
    token: `${config.INFLUX_USERNAME}:${config.INFLUX_PASSWORD}`,
    bucket: `${config.INFLUX_DATABASE}/${config.INFLUX_RETENTION_POLICY}`,
    timeoutMs: config.INFLUX_TIMEOUT_MS,
    maxSockets: config.WRITER_MAX_IN_FLIGHT,
  });
  return createInfluxWriter({
    source,
    sink,
    metrics,
    logger,
    ...(onFatal !== undefined && { onFatal }),
    options: {
      maxPoints: config.WRITER_MAX_POINTS,
      maxLingerMs: config.WRITER_MAX_LINGER_MS,
      maxInFlight: config.WRITER_MAX_IN_FLIGHT,
      backoff: { initialMs: config.WRITER_RETRY_INITIAL_MS, maxMs: config.WRITER_RETRY_MAX_MS },
      names: measurementNames(config.INFLUX_MEASUREMENT_PREFIX),
      stopTimeoutMs: config.WRITER_STOP_TIMEOUT_MS,
    },
  });
}
