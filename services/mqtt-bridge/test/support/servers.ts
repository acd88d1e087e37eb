import { randomUUID } from 'node:crypto';
import { deviceAclTopic, TOPICS } from '@terrapulse/contracts';
import { DynsecClient, readLocalEnvironment } from '@terrapulse/infra-runner';
import { silentLogger } from '@terrapulse/service-kit';
import { type Admin, type Consumer, Kafka, logLevel } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import {
  type BridgeConfig,
  type BuiltBridge,
  createBridgeMetrics,
  createMqttBridge,
  type Delivery,
  KafkaRawRecordSink,
  LeanKafkaSink,
  loadConfig,
  MqttUplinkSource,
  type RawRecordSink,
  type UplinkSource,
} from '../../src/index.js';

/** Connection settings of the servers the native runner started. */
export const localEnv: Record<string, string> = readLocalEnvironment();

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A bridge config against the local servers, with the test's own instance, group and topic. */
export function testBridgeConfig(vars: Record<string, string>): BridgeConfig {
  // Test bridges have one-off instance ids: a session left by a killed one must not outlive the
  // run, or it would queue every later test's uplinks in Mosquitto for days.
  return loadConfig({
    ...localEnv,
    TERRAPULSE_ENV: 'test',
    OPS_PORT: '0',
    LOG_LEVEL: 'silent',
    MQTT_SESSION_EXPIRY_S: '120',
    ...vars,
  });
}

/** A bridge whose deliveries the test can see (the real adapters, with a spy on the source). */
export interface TestBridge extends BuiltBridge {
  /** Every message the bridge received, in order. */
  readonly seen: Delivery[];
  readonly started: Promise<void>;
}

export function startTestBridge(vars: Record<string, string>): TestBridge {
  const config = testBridgeConfig(vars);
  const metrics = createBridgeMetrics();
  const seen: Delivery[] = [];
  const mqtt = new MqttUplinkSource({
    ...config.mqtt,
    instanceId: config.instanceId,
    logger: silentLogger,
    metrics,
  });
  const source: UplinkSource = {
    start: (handler) =>
      mqtt.start((delivery) => {
        seen.push(delivery);
        return handler(delivery);
      }),
    pause: () => mqtt.pause(),
    stop: (options) => mqtt.stop(options),
    status: () => mqtt.status(),
  };
  const { brokers, clientId, topic } = config.kafka;
  const sink: RawRecordSink =
    config.kafka.client === 'lean'
      ? new LeanKafkaSink({ brokers, clientId, topic, logger: silentLogger })
      : new KafkaRawRecordSink({
          kafka: new Kafka({ brokers: [...brokers], clientId, logLevel: logLevel.NOTHING }),
          topic,
          logger: silentLogger,
        });
  const bridge = createMqttBridge({
    source,
    sink,
    logger: silentLogger,
    metrics,
    options: { instanceId: config.instanceId, ...config.batching },
  });
  return { bridge, metrics, seen, started: bridge.start() };
}

/** True once the bridge received a message with exactly these bytes. */
export function hasSeen(bridge: TestBridge, payload: Buffer | string): boolean {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return bridge.seen.some((delivery) => delivery.payload.equals(bytes));
}

export const kafka = new Kafka({
  clientId: uniqueName('tp-bridge-test'),
  brokers: (localEnv.KAFKA_BROKERS ?? '').split(','),
  logLevel: logLevel.NOTHING,
});

/** A topic of the test's own, configured like telemetry.raw but with 3 partitions. */
export async function createRawTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 3,
        configEntries: [
          { name: 'retention.ms', value: String(TOPICS.raw.retentionMs) },
          { name: 'cleanup.policy', value: TOPICS.raw.cleanupPolicy },
        ],
      },
    ],
  });
}

export interface SeenRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
  readonly partition: number;
}

/** Reads a topic from the beginning with a group of its own, collecting every record. */
export async function collectRecords(topic: string): Promise<{ records: SeenRecord[]; consumer: Consumer }> {
  const records: SeenRecord[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('tp-bridge-test'), sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value !== undefined) headers[name] = String(value);
      }
      records.push({
        key: message.key?.toString() ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers,
        partition,
      });
    },
  });
  return { records, consumer };
}

/** A throwaway device with its own credentials, allowed to publish under its own topic only. */
export class TestDevice {
  private constructor(
    readonly id: string,
    readonly client: MqttClient,
  ) {}

  static async create(dynsec: DynsecClient, id = uniqueName('bridge-dev')): Promise<TestDevice> {
    const password = randomUUID();
    await dynsec.run({
      command: 'createRole',
      rolename: `device-${id}`,
      acls: [{ acltype: 'publishClientSend', topic: deviceAclTopic(id), allow: true }],
    });
    await dynsec.run({
      command: 'createClient',
      username: id,
      password,
      roles: [{ rolename: `device-${id}` }],
    });
    const client = await mqtt.connectAsync(localEnv.MQTT_URL ?? '', {
      username: id,
      password,
      clientId: id,
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    return new TestDevice(id, client);
  }

  async remove(dynsec: DynsecClient): Promise<void> {
    await this.client.endAsync().catch(() => undefined);
    await dynsec.send({ command: 'deleteClient', username: this.id });
    await dynsec.send({ command: 'deleteRole', rolename: `device-${this.id}` });
  }
}

export function connectDynsec(): Promise<DynsecClient> {
  return DynsecClient.connect(localEnv.MQTT_URL ?? '', {
    username: localEnv.MQTT_ADMIN_USERNAME ?? '',
    password: localEnv.MQTT_ADMIN_PASSWORD ?? '',
  });
}

/** Reads a counter's current value from a bridge's registry. */
export async function counterValue(built: BuiltBridge, name: string): Promise<number> {
  const metric = await built.metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
}
