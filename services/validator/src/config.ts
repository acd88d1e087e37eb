import { randomUUID } from 'node:crypto';
import { TOPICS } from '@terrapulse/contracts';
import { CommonEnv, KafkaConsumerKind, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_FUTURE_SKEW_MS } from './domain/index.js';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/);
const positiveInt = z.coerce.number().int().positive();

/** The validator's environment. The Kafka brokers need no credential on the local network. */
export const ValidatorEnv = CommonEnv.extend(KafkaEnv.shape).extend({
  /** /healthz and /metrics; 0 picks a free port (tests run several validators at once). */
  OPS_PORT: port.default(9402),
  /** The consumer group of telemetry.raw: instances with the same id split its partitions. */
  KAFKA_GROUP_ID: z.string().min(1).max(200).default('tp-validator'),
  /** Names this process in broker logs and in the registry consumer's group id. */
  KAFKA_CLIENT_ID: z.string().min(1).max(200).default('tp-validator'),
  /**
   * Makes the registry consumer's group unique per process, because every instance must read every
   * device. Random when unset; set it to find an instance's group in Kafka tooling.
   */
  VALIDATOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default(() => randomUUID().slice(0, 8)),
  /** Overridable so that tests and replays run on their own topics. */
  TOPIC_RAW: topicName.default(TOPICS.raw.name),
  TOPIC_READINGS: topicName.default(TOPICS.readings.name),
  TOPIC_REJECTED: topicName.default(TOPICS.rejected.name),
  TOPIC_REGISTRY: topicName.default(TOPICS.registryDevices.name),
  /** Device clocks drift; a reading further ahead of the bridge's receive time than this is refused. */
  MAX_FUTURE_SKEW_MS: z.coerce.number().int().min(0).default(DEFAULT_MAX_FUTURE_SKEW_MS),
  /** Older readings would fall outside InfluxDB's retention (400 days) and vanish on write. */
  MAX_READING_AGE_MS: positiveInt.default(DEFAULT_MAX_AGE_MS),
  /**
   * How long a crashed instance keeps its raw partitions before the group hands them to another.
   * Shorter means faster takeover after a kill -9, longer tolerates longer GC or CPU stalls.
   */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.min(6_000).default(30_000),
  /**
   * A fetch of telemetry.raw returns once this many bytes are ready, or after KAFKA_FETCH_MAX_WAIT_MS.
   * Under load, larger batches mean fewer fetches and fewer produce requests per message (kafkajs
   * spends most of its CPU per request, not per byte); idle, a reading waits at most the max wait.
   */
  KAFKA_FETCH_MIN_BYTES: positiveInt.max(16_777_216).default(65_536),
  /** Also how long a stop waits for the idle fetch in flight. */
  KAFKA_FETCH_MAX_WAIT_MS: positiveInt.max(5_000).default(50),
  /**
   * Which client writes readings and dead letters: `lean` (default), service-kit's produce-only client at a
   * fraction of kafkajs's CPU per message, or `kafkajs`. Both are idempotent with acks = all and
   * partition alike, so switching keeps devices on their partitions.
   */
  KAFKA_PRODUCER: z.enum(['lean', 'kafkajs']).default('lean'),
  /**
   * Which client consumes telemetry.raw: `lean` (default), service-kit's consumer at about half
   * kafkajs's CPU per record, or `kafkajs`. Both commit to the same group, so switching resumes
   * where the other stopped.
   */
  KAFKA_CONSUMER: KafkaConsumerKind,
  /** Raw partitions processed at once: overlaps one partition's Kafka round trip with another's CPU work. */
  PARTITIONS_CONSUMED_CONCURRENTLY: positiveInt.max(64).default(3),
  /**
   * Output bytes per Kafka send. kafkajs puts a partition's messages of one send into one record
   * batch, which the broker refuses above message.max.bytes (1 MiB), so keep it below that.
   */
  OUTPUT_MAX_SEND_BYTES: positiveInt.min(100_000).default(900_000),
});
export type ValidatorConfig = z.infer<typeof ValidatorEnv>;

/** Parses the environment once, at startup; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): ValidatorConfig {
  return parseEnv(ValidatorEnv, env);
}

/** The seed CLI needs only Kafka and the registry topic. */
export const SeedEnv = CommonEnv.extend(KafkaEnv.shape).extend({
  /** Same default as the validator's, so a seed lands where the validators read. */
  TOPIC_REGISTRY: topicName.default(TOPICS.registryDevices.name),
});
export type SeedConfig = z.infer<typeof SeedEnv>;

export function loadSeedConfig(env: NodeJS.ProcessEnv): SeedConfig {
  return parseEnv(SeedEnv, env);
}
