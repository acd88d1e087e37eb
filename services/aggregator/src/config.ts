import { AggregateWindow, IanaTimezone, TOPICS } from '@terrapulse/contracts';
import { CommonEnv, KafkaConsumerKind, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';
import type { AggregatorOptions } from './app.js';

const milliseconds = z.coerce.number().int().min(0);
const positiveMs = z.coerce.number().int().min(1);

/** Default name of the compacted topic holding one checkpoint per input partition. */
export const DEFAULT_CHECKPOINT_TOPIC = 'aggregator.checkpoints';

/**
 * The aggregator's environment. Kafka has no credentials in this deployment; when it gets some
 * (SASL), they join this schema as required variables, never defaulted.
 */
export const AggregatorEnv = CommonEnv.extend(KafkaEnv.shape).extend({
  /** Port of /healthz and /metrics; 0 picks a free one (tests run several instances). */
  OPS_PORT: port.default(9403),
  /** Names this process in broker logs and quotas. */
  KAFKA_CLIENT_ID: z.string().min(1).default('tp-aggregator'),
  /** Instances sharing it split the input partitions; each partition's windows live in one instance. */
  KAFKA_GROUP_ID: z.string().min(1).default('tp-aggregator'),
  /**
   * How long the group waits for a silent member before giving its partitions to another: the
   * pause a crashed instance causes before its partitions are restored elsewhere.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Heartbeats to the group coordinator; a third of the session timeout at most. */
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(3_000),
  /**
   * A fetch returns once this many bytes are ready, or after KAFKA_FETCH_MAX_WAIT_MS: under load,
   * larger batches mean fewer fetches, emits and produce requests per reading (kafkajs spends most
   * of its CPU per request); idle, a reading waits at most the max wait.
   */
  KAFKA_FETCH_MIN_BYTES: z.coerce.number().int().min(1).max(16_777_216).default(65_536),
  /** Capped by the heartbeat interval: kafkajs heartbeats between fetches. */
  KAFKA_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(5_000).default(50),
  /**
   * Which client writes telemetry.aggregates: `lean` (default), service-kit's produce-only client at a
   * fraction of kafkajs's CPU per message, or `kafkajs`. Both are idempotent with acks = all and
   * partition alike, so switching keeps devices on their partitions.
   */
  KAFKA_PRODUCER: z.enum(['lean', 'kafkajs']).default('lean'),
  /**
   * Which client consumes telemetry.readings: `lean` (default), service-kit's consumer at about
   * half kafkajs's CPU per record, or `kafkajs`. Both commit to the same group, so switching
   * resumes where the other stopped. Checkpoints are read back with kafkajs.
   */
  KAFKA_CONSUMER: KafkaConsumerKind,
  /** Input: normalized readings, keyed by device so a device's readings stay in one partition. */
  TOPIC_READINGS: z.string().min(1).default(TOPICS.readings.name),
  /** Output: window statistics, keyed by device. */
  TOPIC_AGGREGATES: z.string().min(1).default(TOPICS.aggregates.name),
  /**
   * Compacted topic with one record per input partition: the window state and the input offset
   * it covers. Created at startup when missing, with as many partitions as the input topic.
   */
  TOPIC_CHECKPOINTS: z.string().min(1).default(DEFAULT_CHECKPOINT_TOPIC),
  /**
   * Where a partition with neither checkpoint nor committed offset starts. `earliest` aggregates
   * every retained reading, so the first windows are complete rather than cut at deployment time.
   */
  AGGREGATOR_START_FROM: z.enum(['earliest', 'latest']).default('earliest'),
  /**
   * Zone hours and days are cut in, for every device: NormalizedReading carries no zone yet, so
   * one zone per deployment (a territory) until the registry provides one per device.
   */
  AGGREGATOR_TIMEZONE: IanaTimezone.default('Europe/Paris'),
  /** Window sizes maintained, comma-separated. */
  AGGREGATOR_WINDOWS: z
    .string()
    .default('15m,1h,1d')
    .transform((s) => s.split(',').map((w) => w.trim()))
    .pipe(z.array(AggregateWindow).min(1)),
  /** How long past its end (in device event time) a window still accepts late readings. */
  AGGREGATOR_ALLOWED_LATENESS_MS: milliseconds.default(3_600_000),
  /** Subtracted from a device's latest event time to get its watermark: tolerated reordering. */
  AGGREGATOR_OUT_OF_ORDERNESS_MS: milliseconds.default(0),
  /**
   * A device silent this long in processing time stops holding its windows open: every
   * watermark is raised to now minus this, once the partition has caught up with its backlog
   * (a backlog being replayed is not silence). Longer than the upload period of batch devices.
   */
  AGGREGATOR_IDLE_TIMEOUT_MS: positiveMs.default(900_000),
  /**
   * A window due by its watermark stays open this long (processing time) after its latest
   * reading: a backlog replayed at full speed reaches us reordered by the shared subscription.
   */
  AGGREGATOR_CLOSE_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Updated aggregates of one window go out at most this often; the latest state wins. */
  AGGREGATOR_EMIT_INTERVAL_MS: positiveMs.default(1_000),
  /** Window state is checkpointed this often (and on shutdown); it bounds replay after a crash. */
  AGGREGATOR_CHECKPOINT_INTERVAL_MS: positiveMs.default(5_000),
  /** ...or after this many input messages, whichever comes first: bounds replay under load. */
  AGGREGATOR_CHECKPOINT_MAX_MESSAGES: z.coerce.number().int().min(1).default(200_000),
  /** A fall of a cumulative index to at most this fraction of the previous one is a counter reset. */
  AGGREGATOR_RESET_RATIO: z.coerce.number().gt(0).lt(1).default(0.5),
  /** Grace period of a SIGTERM: the final flush and checkpoint must fit in it. */
  SHUTDOWN_GRACE_MS: positiveMs.default(30_000),
});

export type AggregatorConfig = z.infer<typeof AggregatorEnv>;

/** Parses the environment; throws one message naming every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AggregatorConfig {
  return parseEnv(AggregatorEnv, env);
}

/** The part of the configuration the aggregator itself needs (the rest wires adapters). */
export function aggregatorOptions(config: AggregatorConfig): AggregatorOptions {
  return {
    timeZone: config.AGGREGATOR_TIMEZONE,
    windows: config.AGGREGATOR_WINDOWS,
    allowedLatenessMs: config.AGGREGATOR_ALLOWED_LATENESS_MS,
    outOfOrdernessMs: config.AGGREGATOR_OUT_OF_ORDERNESS_MS,
    closeGraceMs: config.AGGREGATOR_CLOSE_GRACE_MS,
    resetRatio: config.AGGREGATOR_RESET_RATIO,
    idleTimeoutMs: config.AGGREGATOR_IDLE_TIMEOUT_MS,
    emitIntervalMs: config.AGGREGATOR_EMIT_INTERVAL_MS,
    checkpointIntervalMs: config.AGGREGATOR_CHECKPOINT_INTERVAL_MS,
    checkpointMaxMessages: config.AGGREGATOR_CHECKPOINT_MAX_MESSAGES,
  };
}
