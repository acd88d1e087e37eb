import { TOPICS } from '@terrapulse/contracts';
import { CommonEnv, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/);
const positiveInt = z.coerce.number().int().positive();

/** The registry's environment; secrets have no default (the infra runner generates local ones). */
export const RegistryEnv = CommonEnv.extend(KafkaEnv.shape).extend({
  /** HTTP API and console. */
  REGISTRY_HTTP_PORT: port.default(8410),
  /** Loopback by default: exposing the API is a deliberate choice (put TLS in front). */
  REGISTRY_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** /healthz and /metrics; 0 picks a free port. */
  OPS_PORT: port.default(9410),
  /** The source of truth and the BullMQ queues. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  /** The broker whose dynamic-security plugin holds the per-device credentials. */
  MQTT_URL: z.string().regex(/^mqtts?:\/\//, 'an mqtt:// or mqtts:// URL'),
  MQTT_ADMIN_USERNAME: z.string().min(1),
  MQTT_ADMIN_PASSWORD: z.string().min(1),
  /** The bootstrap admin token; it also keys the encryption of secrets in job payloads. */
  REGISTRY_ADMIN_TOKEN: z.string().min(32, 'at least 32 characters'),
  /** Encrypts passwords inside provisioning jobs; REGISTRY_ADMIN_TOKEN when unset. */
  REGISTRY_SECRET_KEY: z.string().min(32).optional(),
  /** Every Redis key and BullMQ queue of this registry starts with it; tests use a unique one. */
  REGISTRY_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('tp:registry:'),
  /** Where device changes go (compacted). */
  TOPIC_REGISTRY: topicName.default(TOPICS.registryDevices.name),
  /** The health tracker's inputs. */
  TOPIC_READINGS: topicName.default(TOPICS.readings.name),
  TOPIC_REJECTED: topicName.default(TOPICS.rejected.name),
  KAFKA_CLIENT_ID: z.string().min(1).max(200).default('tp-registry'),
  /** A device is silent after expectedIntervalS times this without a reading. */
  REGISTRY_SILENCE_FACTOR: z.coerce.number().min(1).max(100).default(3),
  /** How often the silence sweeper runs. */
  REGISTRY_SWEEP_INTERVAL_MS: positiveInt.default(30_000),
  /** Attempts of a provisioning job before the device is left registered with the error. */
  REGISTRY_PROVISION_ATTEMPTS: positiveInt.max(20).default(5),
  /** First retry delay (exponential backoff) of a provisioning job. */
  REGISTRY_PROVISION_BACKOFF_MS: positiveInt.default(1_000),
  /** How long the outbox relay's lease lasts without renewal; another instance takes over after. */
  REGISTRY_RELAY_LEASE_MS: positiveInt.min(1_000).default(10_000),
});
export type RegistryConfig = z.infer<typeof RegistryEnv>;

/** Parses the environment once, at startup; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): RegistryConfig {
  return parseEnv(RegistryEnv, env);
}
