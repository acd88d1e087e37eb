import { bridgeSharedSubscription, TOPICS } from '@terrapulse/contracts';
import { CommonEnv, KafkaEnv, type LogLevel, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';

/** The instance id a development run uses when none is set: stable, so restarts resume their sessions. */
export const DEVELOPMENT_INSTANCE_ID = 'bridge-1';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** How a connection acknowledges the broker; see adapters/mqtt/bridge-connection.ts. */
export const AckMode = z.enum(['serial', 'pipelined']);
export type AckMode = z.infer<typeof AckMode>;

/** Which MQTT client receives the uplinks; see adapters/mqtt/lean-bridge-connection.ts. */
export const MqttClientKind = z.enum(['lean', 'mqttjs']);
export type MqttClientKind = z.infer<typeof MqttClientKind>;

/** Which Kafka producer writes telemetry.raw; see adapters/kafka-lean/lean-kafka-sink.ts. */
export const KafkaClient = z.enum(['lean', 'kafkajs']);
export type KafkaClient = z.infer<typeof KafkaClient>;

/**
 * The bridge's environment. Every variable says why it exists; credentials have no default.
 */
export const BridgeEnv = z
  .object({
    ...CommonEnv.shape,
    ...KafkaEnv.shape,
    /** Port of /healthz and /metrics; 0 picks a free port (tests). */
    OPS_PORT: port.default(9401),
    /** The broker devices publish to (mqtt://, mqtts://, ws://, wss://). */
    MQTT_URL: z.url({ protocol: /^(mqtts?|wss?|tcp|ssl)$/ }),
    /** The bridge's own MQTT account: may subscribe to the uplink share filter, nothing else. */
    MQTT_BRIDGE_USERNAME: z.string().min(1),
    MQTT_BRIDGE_PASSWORD: z.string().min(1),
    /**
     * Names the instance's persistent MQTT sessions (`{id}-{index}`) and goes into the tp-bridge-id
     * header. It must survive restarts, or the broker keeps queueing for sessions nobody resumes;
     * and it must be unique, or two instances take over each other's sessions in a loop. So it is
     * required in production; development and test runs default to `bridge-1`.
     */
    BRIDGE_INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1 to 64)')
      .optional(),
    /** MQTT 5 share group: every connection of every instance in the group splits the uplinks. */
    BRIDGE_SHARE_GROUP: z
      .string()
      .default('terrapulse-bridge')
      .refine(isShareGroup, 'letters, digits, _ and - only (1 to 64)'),
    /**
     * Connections per instance. In `serial` ack mode each connection holds one message until Kafka
     * acknowledges it, so this is the instance's concurrency.
     */
    BRIDGE_CONNECTIONS: count(1, 1024).default(8),
    /**
     * `pipelined` keeps up to BRIDGE_RECEIVE_MAXIMUM messages per connection waiting for Kafka and
     * sends each PUBACK itself once Kafka acknowledged (through an MQTT.js internal); `serial` uses
     * MQTT.js's supported path and holds one message per connection. See the README.
     */
    BRIDGE_ACK_MODE: AckMode.default('pipelined'),
    /**
     * `lean`: the bridge's own MQTT 5 subscriber (mqtt:// and mqtts://), which decodes packets in
     * place and writes the PUBACKs a Kafka batch releases in one go, for a fraction of MQTT.js's
     * CPU per message. `mqttjs`: MQTT.js, also over WebSockets.
     */
    BRIDGE_MQTT_CLIENT: MqttClientKind.default('lean'),
    /**
     * MQTT 5 Receive Maximum the bridge advertises: the broker sends a connection at most this many
     * unacknowledged messages. Bounds the bridge's memory per connection (at most this many payloads
     * parsed and waiting) and how long a PINGRESP waits behind them.
     */
    BRIDGE_RECEIVE_MAXIMUM: count(1, 65535).default(256),
    /** Longest wait for more messages before a Kafka send: the latency paid to batch when idle. */
    BRIDGE_LINGER_MS: count(0, 1000).default(2),
    /** Most messages in one Kafka send, and in the buffer that fills while a send is in flight. */
    BRIDGE_MAX_BATCH: count(1, 100_000).default(2000),
    /**
     * Most payload bytes in one Kafka send. Under Kafka's message.max.bytes (1 MiB) per partition
     * batch, so a batch is never refused for its size unless one message alone is too large.
     */
    BRIDGE_MAX_BATCH_BYTES: count(1024, 64 * 1024 * 1024).default(768 * 1024),
    /** Cap of the backoff between attempts to send a batch while Kafka refuses or is down. */
    BRIDGE_RETRY_MAX_MS: count(10, 300_000).default(5000),
    /** On shutdown, how long to wait for Kafka to take what is in flight before leaving it to the broker. */
    BRIDGE_DRAIN_TIMEOUT_MS: count(0, 600_000).default(10_000),
    /** MQTT keepalive; the broker caps it (Mosquitto max_keepalive). */
    MQTT_KEEPALIVE_S: count(5, 65535).default(60),
    /**
     * How long the broker keeps a session (and queues for it) while the bridge is away. Long, so a
     * bridge down for a weekend loses nothing; bounded, so a retired instance id ends by itself.
     */
    MQTT_SESSION_EXPIRY_S: count(60, 0xffff_ffff).default(7 * 24 * 3600),
    /**
     * `lean`: the bridge's own produce-only client (idempotent, acks=all), a fraction of kafkajs's
     * CPU per message, which is the budget on small machines; plaintext only (no TLS, no SASL).
     * `kafkajs`: the client the other services use, for clusters that need TLS or SASL.
     */
    BRIDGE_KAFKA_CLIENT: KafkaClient.default('lean'),
    /** Kafka topic the uplinks go to; tests point it at a topic of their own. */
    TOPIC_RAW: z.string().min(1).max(249).default(TOPICS.raw.name),
  })
  .superRefine((env, ctx) => {
    if (env.BRIDGE_MQTT_CLIENT === 'lean' && /^wss?:/.test(env.MQTT_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BRIDGE_MQTT_CLIENT'],
        message:
          'the lean client speaks mqtt:// and mqtts:// only: set BRIDGE_MQTT_CLIENT=mqttjs for WebSockets',
      });
    }
    if (env.TERRAPULSE_ENV === 'production' && env.BRIDGE_INSTANCE_ID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['BRIDGE_INSTANCE_ID'],
        message: 'required in production: a stable, unique id per instance',
      });
    }
  });
export type BridgeEnv = z.infer<typeof BridgeEnv>;

function isShareGroup(group: string): boolean {
  try {
    bridgeSharedSubscription(group);
    return true;
  } catch {
    return false;
  }
}

export interface BridgeConfig {
  readonly environment: BridgeEnv['TERRAPULSE_ENV'];
  readonly logLevel: LogLevel;
  readonly ops: { readonly host: string; readonly port: number };
  readonly instanceId: string;
  readonly mqtt: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
    readonly shareGroup: string;
    readonly connections: number;
    readonly ackMode: AckMode;
    readonly client: MqttClientKind;
    readonly receiveMaximum: number;
    readonly keepaliveS: number;
    readonly sessionExpiryS: number;
  };
  readonly kafka: {
    readonly client: KafkaClient;
    readonly brokers: readonly string[];
    readonly topic: string;
    readonly clientId: string;
  };
  readonly batching: {
    readonly lingerMs: number;
    readonly maxBatch: number;
    readonly maxBatchBytes: number;
    readonly retryMaxMs: number;
    readonly drainTimeoutMs: number;
  };
}

/** Parses the environment once (main.ts); throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const e = parseEnv(BridgeEnv, env);
  const instanceId = e.BRIDGE_INSTANCE_ID ?? DEVELOPMENT_INSTANCE_ID;
  return {
    environment: e.TERRAPULSE_ENV,
    logLevel: e.LOG_LEVEL,
    ops: { host: e.OPS_HOST, port: e.OPS_PORT },
    instanceId,
    mqtt: {
      url: e.MQTT_URL,
      username: e.MQTT_BRIDGE_USERNAME,
      password: e.MQTT_BRIDGE_PASSWORD,
      shareGroup: e.BRIDGE_SHARE_GROUP,
      connections: e.BRIDGE_CONNECTIONS,
      ackMode: e.BRIDGE_ACK_MODE,
      client: e.BRIDGE_MQTT_CLIENT,
      receiveMaximum: e.BRIDGE_RECEIVE_MAXIMUM,
      keepaliveS: e.MQTT_KEEPALIVE_S,
      sessionExpiryS: e.MQTT_SESSION_EXPIRY_S,
    },
    kafka: {
      client: e.BRIDGE_KAFKA_CLIENT,
      brokers: e.KAFKA_BROKERS,
      topic: e.TOPIC_RAW,
      clientId: `terrapulse-mqtt-bridge-${instanceId}`,
    },
    batching: {
      lingerMs: e.BRIDGE_LINGER_MS,
      maxBatch: e.BRIDGE_MAX_BATCH,
      maxBatchBytes: e.BRIDGE_MAX_BATCH_BYTES,
      retryMaxMs: e.BRIDGE_RETRY_MAX_MS,
      drainTimeoutMs: e.BRIDGE_DRAIN_TIMEOUT_MS,
    },
  };
}
