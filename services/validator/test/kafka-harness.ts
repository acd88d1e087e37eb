import { randomUUID } from 'node:crypto';
import {
  type DeviceRecord,
  deviceUplinkTopic,
  encodeRawHeaders,
  NormalizedReading,
  Rejection,
  TOPICS,
  type TopicSpec,
  type UplinkFormat,
  uplinkContentType,
} from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { loadConfig, type ValidatorConfig } from '../src/config.js';
import { publishDeviceRecords } from '../src/registry-seed.js';

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function kafkaBrokers(): string[] {
  const brokers = readLocalEnvironment().KAFKA_BROKERS;
  if (brokers === undefined)
    throw new Error('no KAFKA_BROKERS in the local environment: run `npm run infra -- up`');
  return brokers.split(',');
}

export interface TestTopics {
  readonly raw: string;
  readonly readings: string;
  readonly rejected: string;
  readonly registry: string;
}

/** Unique topics shaped like the catalogue's (3 partitions), a client to drive them, and cleanup. */
export class KafkaHarness {
  readonly kafka = new Kafka({
    clientId: uniqueName('tp-validator-test'),
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  readonly topics: TestTopics;
  readonly groupId = uniqueName('tp-validator-test');
  private readonly producer: Producer = this.kafka.producer({ idempotent: true });
  private readonly consumers: Consumer[] = [];
  private readonly readerGroups: string[] = [];

  constructor(readonly runId = uniqueName('vt')) {
    this.topics = {
      raw: `test.${runId}.raw`,
      readings: `test.${runId}.readings`,
      rejected: `test.${runId}.rejected`,
      registry: `test.${runId}.registry`,
    };
  }

  async setUp(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const like = (name: string, spec: TopicSpec) => ({
      topic: name,
      numPartitions: 3,
      replicationFactor: 1,
      configEntries: [
        { name: 'cleanup.policy', value: spec.cleanupPolicy },
        { name: 'retention.ms', value: String(spec.retentionMs) },
        ...Object.entries(spec.config ?? {}).map(([n, value]) => ({ name: n, value })),
      ],
    });
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          like(this.topics.raw, TOPICS.raw),
          like(this.topics.readings, TOPICS.readings),
          like(this.topics.rejected, TOPICS.rejected),
          like(this.topics.registry, TOPICS.registryDevices),
        ],
      });
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await this.producer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: Object.values(this.topics) });
      await deleteGroupsOf(admin, [this.groupId, ...this.readerGroups], this.groupId);
    } finally {
      await admin.disconnect();
    }
  }

  /** Raw messages the validator's group has committed, over every partition. */
  async committedRaw(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: this.groupId, topics: [this.topics.raw] });
      return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** The validator's configuration on this harness's topics. */
  config(overrides: Record<string, string> = {}): ValidatorConfig {
    return loadConfig({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      LOG_LEVEL: 'warn',
      OPS_PORT: '0',
      KAFKA_GROUP_ID: this.groupId,
      TOPIC_RAW: this.topics.raw,
      TOPIC_READINGS: this.topics.readings,
      TOPIC_REJECTED: this.topics.rejected,
      TOPIC_REGISTRY: this.topics.registry,
      ...overrides,
    });
  }

  async seed(records: readonly DeviceRecord[]): Promise<void> {
    await publishDeviceRecords(this.producer, this.topics.registry, records);
  }

  async deleteDevice(deviceId: string): Promise<void> {
    await this.producer.send({ topic: this.topics.registry, messages: [{ key: deviceId, value: null }] });
  }

  /** Publishes raw uplinks in one request, as the bridge does: payload bytes + MQTT metadata headers. */
  async publishRaw(uplinks: readonly RawSpec[]): Promise<void> {
    await this.producer.send({ topic: this.topics.raw, acks: -1, messages: uplinks.map(toRawMessage) });
  }

  /** Collects every record of the readings and rejected topics from the beginning. */
  async collectOutputs(): Promise<Outputs> {
    const outputs: Outputs = { readings: [], rejections: [] };
    const groupId = uniqueName('tp-validator-test-reader');
    const consumer = this.kafka.consumer({ groupId });
    this.consumers.push(consumer);
    this.readerGroups.push(groupId);
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topics.readings, this.topics.rejected], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = JSON.parse(message.value?.toString() ?? 'null');
        const key = message.key?.toString() ?? '';
        if (topic === this.topics.readings)
          outputs.readings.push({ key, partition, value: NormalizedReading.parse(value) });
        else outputs.rejections.push({ key, partition, value: Rejection.parse(value) });
      },
    });
    return outputs;
  }
}

/**
 * Deletes the test's consumer groups, and the validators' registry groups (`{groupId}-registry-*`),
 * which have no offsets but linger until the broker's next cleanup.
 */
export async function deleteGroupsOf(
  admin: ReturnType<Kafka['admin']>,
  groupIds: readonly string[],
  registryPrefixOf: string,
): Promise<void> {
  const { groups } = await admin.listGroups();
  const registry = groups
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(`${registryPrefixOf}-registry-`));
  await admin.deleteGroups([...groupIds, ...registry]).catch(() => {});
}

export interface RawSpec {
  readonly deviceId: string;
  readonly payload: unknown;
  readonly format?: UplinkFormat;
  readonly topic?: string;
  readonly receivedAt?: number;
}

export interface Outputs {
  readonly readings: Array<{ key: string; partition: number; value: NormalizedReading }>;
  readonly rejections: Array<{ key: string; partition: number; value: Rejection }>;
}

export function payloadBytes(payload: unknown): Buffer {
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
}

function toRawMessage(spec: RawSpec) {
  const format = spec.format ?? 'json';
  return {
    key: spec.deviceId,
    value: payloadBytes(spec.payload),
    headers: encodeRawHeaders({
      'tp-mqtt-topic': spec.topic ?? deviceUplinkTopic(spec.deviceId, format),
      'tp-received-at': spec.receivedAt ?? Date.now(),
      'tp-mqtt-qos': 1,
      'tp-bridge-id': 'bridge-test',
      'tp-content-type': uplinkContentType[format],
    }),
  };
}

/** Polls until `check` holds; generous by default because the 2 cores are shared. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
