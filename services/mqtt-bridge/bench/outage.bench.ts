/**
 * Kafka unavailable under load: memory must stay flat while the broker queues, and the backlog
 * must drain once Kafka is back. Kafka cannot be stopped on a shared machine, so "unavailable" is
 * a topic that does not exist yet (auto-create is off): every send fails until it is created.
 *
 *   cd /work/main && npx tsc --build services/mqtt-bridge && \
 *     npx tsx services/mqtt-bridge/bench/outage.bench.ts [--messages 100000] [--outage-s 15]
 *
 * Prints, every second, the bridge's RSS, heap and in-flight messages, then the drain time.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TOPICS } from '@terrapulse/contracts';
import { DynsecClient, readLocalEnvironment } from '@terrapulse/infra-runner';
import {
  createBridgeMetrics,
  createMqttBridge,
  LeanKafkaSink,
  loadConfig,
  MqttUplinkSource,
} from '@terrapulse/mqtt-bridge';
import { createJsonLogger } from '@terrapulse/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { countingSource } from './own-messages.js';
import type { PublishJob, PublishReport } from './publisher.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    'outage-s': { type: 'string', default: '15' },
  },
});
const MESSAGES = Number(args.messages);
const env = readLocalEnvironment();
const tag = `outage-${randomUUID().slice(0, 6)}`;
const publisherUser = { username: `${tag}-publisher`, password: randomUUID() };

function publish(): Promise<PublishReport> {
  const child = fork(fileURLToPath(new URL('./publisher.ts', import.meta.url)), { stdio: 'inherit' });
  const job: PublishJob = {
    url: env.MQTT_URL ?? '',
    ...publisherUser,
    tag,
    count: MESSAGES,
    connections: 4,
    window: 500,
    devices: 500,
    payloadBytes: 200,
  };
  child.send(job);
  return new Promise((resolve) => {
    child.once('message', () => {
      child.once('message', (report: PublishReport) => resolve(report));
      child.send('go');
    });
  });
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dynsec = await DynsecClient.connect(env.MQTT_URL ?? '', {
    username: env.MQTT_ADMIN_USERNAME ?? '',
    password: env.MQTT_ADMIN_PASSWORD ?? '',
  });
  const role = `${tag}-role`;
  await dynsec.run({
    command: 'createRole',
    rolename: role,
    acls: [{ acltype: 'publishClientSend', topic: 'terrapulse/v1/devices/+/up/#', allow: true }],
  });
  await dynsec.run({ command: 'createClient', ...publisherUser, roles: [{ rolename: role }] });
  const admin = new Kafka({
    clientId: tag,
    brokers: (env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const topic = `${tag}-raw`;
  const metrics = createBridgeMetrics();
  const config = loadConfig({
    ...env,
    TERRAPULSE_ENV: 'test',
    BRIDGE_INSTANCE_ID: tag,
    BRIDGE_SHARE_GROUP: tag,
    BRIDGE_RETRY_MAX_MS: '1000',
    TOPIC_RAW: topic,
  });
  const logger = createJsonLogger({ service: 'outage-bench', level: 'error' });
  const counts = { acknowledged: 0 };
  const bridge = createMqttBridge({
    source: countingSource(
      new MqttUplinkSource({ ...config.mqtt, instanceId: config.instanceId, logger, metrics }),
      `/devices/${tag}-`,
      counts,
    ),
    sink: new LeanKafkaSink({ ...config.kafka, logger }),
    logger,
    metrics,
    options: { instanceId: config.instanceId, ...config.batching },
  });
  const value = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
  const sample = async (label: string) => {
    const memory = process.memoryUsage();
    const inFlight = await value('terrapulse_bridge_inflight_messages');
    const forwarded = await value('terrapulse_bridge_messages_forwarded_total');
    console.log(
      `${label.padEnd(12)} rss ${mb(memory.rss)}  heap ${mb(memory.heapUsed)}  in flight ${inFlight}  forwarded ${forwarded}  own acknowledged ${counts.acknowledged}`,
    );
  };
  try {
    await bridge.start();
    await sample('start');
    const published = publish();
    const outageEnd = Date.now() + Number(args['outage-s']) * 1000;
    while (Date.now() < outageEnd) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await sample('kafka down');
    }
    const report = await published;
    console.log(`published ${report.acked} messages (acknowledged by the broker) during the outage`);
    const recovered = Date.now();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: TOPICS.raw.partitions }],
    });
    while (counts.acknowledged < MESSAGES) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await sample('kafka back');
    }
    console.log(`backlog of ${MESSAGES} drained in ${((Date.now() - recovered) / 1000).toFixed(1)} s`);
  } finally {
    await bridge.stop({ endSessions: true });
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await dynsec.send({ command: 'deleteClient', username: publisherUser.username });
    await dynsec.send({ command: 'deleteRole', rolename: role });
    await dynsec.close();
  }
}

await main();
