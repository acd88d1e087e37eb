import { randomUUID } from 'node:crypto';
import { type DeviceRecord, TOPICS, type TopicSpec } from '@terrapulse/contracts';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { silentLogger } from '@terrapulse/service-kit';
import { Redis } from 'ioredis';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { createRegistry, type Registry, type RegistryDeps } from '../src/app.js';
import { loadConfig, type RegistryConfig } from '../src/config.js';
import { registryExtensions } from '../src/extensions.js';

export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface ApiAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes; assertions check them.
  readonly body: any;
}

/**
 * One registry started in-process on free ports, with its own Redis key prefix, BullMQ queues and
 * a unique registry topic shaped like the catalogue's; `close()` removes all of it.
 */
export class RegistryHarness {
  readonly env = readLocalEnvironment();
  readonly runId = uniqueName('rg');
  readonly topic = `test.${this.runId}.registry`;
  readonly readingsTopic = `test.${this.runId}.readings`;
  readonly rejectedTopic = `test.${this.runId}.rejected`;
  readonly prefix = `tp:test:${this.runId}:`;
  readonly adminToken = this.env.REGISTRY_ADMIN_TOKEN ?? '';
  readonly kafka = new Kafka({
    clientId: this.runId,
    brokers: (this.env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  registry!: Registry;
  baseUrl = '';
  private readonly consumers: Consumer[] = [];
  private readonly groups: string[] = [];

  config(overrides: Record<string, string> = {}): RegistryConfig {
    return loadConfig({
      ...this.env,
      LOG_LEVEL: 'warn',
      REGISTRY_HTTP_PORT: '0',
      OPS_PORT: '0',
      REGISTRY_KEY_PREFIX: this.prefix,
      TOPIC_REGISTRY: this.topic,
      TOPIC_READINGS: this.readingsTopic,
      TOPIC_REJECTED: this.rejectedTopic,
      KAFKA_CLIENT_ID: this.runId,
      REGISTRY_PROVISION_BACKOFF_MS: '100',
      ...overrides,
    });
  }

  async start(
    deps: Partial<Omit<RegistryDeps, 'config'>> = {},
    env: Record<string, string> = {},
  ): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const like = (topic: string, spec: TopicSpec) => ({
      topic,
      numPartitions: spec.partitions,
      replicationFactor: 1,
      configEntries: [
        { name: 'cleanup.policy', value: spec.cleanupPolicy },
        { name: 'retention.ms', value: String(spec.retentionMs) },
        ...Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
      ],
    });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        like(this.topic, TOPICS.registryDevices),
        like(this.readingsTopic, TOPICS.readings),
        like(this.rejectedTopic, TOPICS.rejected),
      ],
    });
    await admin.disconnect();
    this.registry = createRegistry({
      logger: silentLogger,
      processMetrics: false,
      ...registryExtensions,
      ...deps,
      config: this.config(env),
    });
    const { httpPort } = await this.registry.start();
    this.baseUrl = `http://127.0.0.1:${httpPort}`;
  }

  async api(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown } = {},
  ): Promise<ApiAnswer> {
    const token = options.token === undefined ? this.adminToken : options.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  /** A token of this role, made by the admin through the API. */
  async token(role: 'operator' | 'viewer' | 'admin', tenant?: string): Promise<string> {
    const r = await this.api('POST', '/api/v1/tokens', {
      body: { name: uniqueName(role), role, ...(tenant ? { tenant } : {}) },
    });
    if (r.status !== 201) throw new Error(`token creation failed: ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  }

  /** Every record of the registry topic, from the beginning, in arrival order per partition. */
  async collectTopic(): Promise<Array<{ key: string; value: DeviceRecord | null; partition: number }>> {
    const records: Array<{ key: string; value: DeviceRecord | null; partition: number }> = [];
    const groupId = uniqueName(`${this.runId}-reader`);
    const consumer = this.kafka.consumer({ groupId });
    this.consumers.push(consumer);
    this.groups.push(groupId);
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const value = message.value === null ? null : (JSON.parse(message.value.toString()) as DeviceRecord);
        records.push({ key: message.key?.toString() ?? '', value, partition });
      },
    });
    return records;
  }

  async close(): Promise<void> {
    await this.registry?.stop();
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    const admin = this.kafka.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [this.topic, this.readingsTopic, this.rejectedTopic] })
      .catch(() => {});
    // The readers' groups and the health tracker's (named after the client id, i.e. the run id).
    const { groups } = await admin.listGroups();
    const mine = groups.map((g) => g.groupId).filter((id) => id.startsWith(this.runId));
    await admin.deleteGroups([...new Set([...this.groups, ...mine])]).catch(() => {});
    await admin.disconnect();
    const redis = new Redis(this.env.REDIS_URL ?? '');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

/** A valid device draft; deviceId unique per call. */
export function deviceDraft(tenant: string, overrides: Record<string, unknown> = {}) {
  return {
    deviceId: uniqueName('wm'),
    tenant,
    site: 'school-1',
    siteName: 'École Jean Moulin',
    domain: 'water',
    kind: 'water_meter',
    model: 'Acme WM-1',
    metrics: ['water.volume_index'],
    expectedIntervalS: 900,
    installedAt: '2024-03-01',
    location: { lat: 45.76, lon: 4.84 },
    externalIds: { devEui: '0011223344556677' },
    ...overrides,
  };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
