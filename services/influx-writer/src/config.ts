import { TOPICS } from '@terrapulse/contracts';
import { CommonEnv, InfluxEnv, KafkaConsumerKind, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const InfluxWriterEnv = CommonEnv.extend(KafkaEnv.shape)
  .extend(InfluxEnv.shape)
  .extend({
    /** /healthz and /metrics; 0 picks a free port (tests). */
    OPS_PORT: port.default(9404),

    /** One group for every instance: Kafka splits the partitions between them. */
    KAFKA_GROUP_ID: z.string().min(1).default('tp-influx-writer'),
    /** Names this instance in broker logs and quotas. */
    KAFKA_CLIENT_ID: z.string().min(1).default('tp-influx-writer'),
    /**
     * Which client consumes the three topics: `lean` (default), service-kit's consumer at about
     * half kafkajs's CPU per record, or `kafkajs`. Both commit to the same group, so switching
     * resumes where the other stopped.
     */
    KAFKA_CONSUMER: KafkaConsumerKind,
    /** Overridable so tests and benchmarks use topics of their own. */
    TOPIC_READINGS: z.string().min(1).default(TOPICS.readings.name),
    TOPIC_AGGREGATES: z.string().min(1).default(TOPICS.aggregates.name),
    /** Dead letters, stored as counts per reason for the pipeline-health dashboard. */
    TOPIC_REJECTED: z.string().min(1).default(TOPICS.rejected.name),
    /**
     * A new group starts at the oldest retained record, so a writer deployed after the pipeline
     * (or with a new group id) still stores everything Kafka kept.
     */
    KAFKA_FROM_BEGINNING: flag.default(true),
    /**
     * Longest a fetch waits for data. A partition resumed after its write waits for the fetch in
     * progress to end, and an empty fetch is what closes a batch early: a shorter wait means less
     * dead time per cycle, at the cost of more idle polls (50 per second at 20 ms).
     */
    KAFKA_MAX_WAIT_MS: positiveInt.default(20),
    /**
     * A fetch returns once this many bytes are ready (or after KAFKA_MAX_WAIT_MS): under load, fewer
     * and larger fetches, as kafkajs spends most of its CPU per request rather than per record.
     */
    KAFKA_FETCH_MIN_BYTES: positiveInt.max(16_777_216).default(65_536),
    /** Bytes fetched per partition; with one pending batch per partition, this bounds memory. */
    KAFKA_MAX_BYTES_PER_PARTITION: positiveInt.default(1_048_576),
    /** A member silent this long is evicted and its partitions go to the others. */
    KAFKA_SESSION_TIMEOUT_MS: positiveInt.default(30_000),

    /** A batch closes at this many points: InfluxDB's sweet spot is 5,000 to 10,000 per request. */
    WRITER_MAX_POINTS: positiveInt.default(5_000),
    /** ...or this long after its first point, so a trickle is written promptly too. */
    WRITER_MAX_LINGER_MS: positiveInt.default(250),
    /** Batches written concurrently: 2 keeps InfluxDB busy while the next batch is encoded. */
    WRITER_MAX_IN_FLIGHT: positiveInt.default(2),
    /** First retry delay after InfluxDB failed; doubles per failure... */
    WRITER_RETRY_INITIAL_MS: positiveInt.default(200),
    /** ...up to this, so the writer notices within seconds that InfluxDB is back. */
    WRITER_RETRY_MAX_MS: positiveInt.default(5_000),
    /** On shutdown, how long to wait for buffered points; within the 30 s grace of the signal handler. */
    WRITER_STOP_TIMEOUT_MS: positiveInt.default(10_000),
  });

export type InfluxWriterConfig = z.infer<typeof InfluxWriterEnv>;

/** Parses the environment once, in main.ts; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): InfluxWriterConfig {
  return parseEnv(InfluxWriterEnv, env);
}
