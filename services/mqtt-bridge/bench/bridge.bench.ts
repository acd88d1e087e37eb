/**
 * Throughput of the bridge against the real local servers, next to the legs it is made of.
 *
 *   cd /work/main && npx tsc --build services/mqtt-bridge && \
 *     npx tsx services/mqtt-bridge/bench/bridge.bench.ts [--messages 100000] \
 *       [--connections 4,16,64] [--modes pipelined,serial] [--clients lean,kafkajs]
 *       [--mqtt-clients lean,mqttjs] [--json]
 *
 * Without `--conditions=source` the bridge runs from dist/, as in production.
 *
 * Publishers run in a child process (bench/publisher.ts): QoS 1, several connections, many
 * publishes in flight, ~200-byte JSON envelopes over 500 device ids of the run's own. Each
 * scenario gets its own Kafka topic (6 partitions like telemetry.raw), share group and instance
 * id, all removed after.
 *
 * - mqtt baseline: plain MQTT.js subscribers on the share filter, PUBACK right away (the ceiling
 *   of the MQTT leg on this machine);
 * - kafka baseline: the bridge's Kafka sink sending pre-built records in batches of 2000;
 * - bridge: publish -> Mosquitto -> bridge -> Kafka acknowledged, from the first publish to the
 *   last of the run's messages acknowledged to the broker; plus the bridge's CPU per message.
 *
 * The broker is shared: a bridge subscribes to every device's uplinks, so whatever else is
 * published meanwhile (other engineers' tests, simulators) flows through it too. Rates count the
 * run's own messages; "foreign" says how many others the bridge forwarded in the same time.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bridgeSharedSubscription, TOPICS } from '@terrapulse/contracts';
import { DynsecClient, readLocalEnvironment } from '@terrapulse/infra-runner';
import {
  createBridgeMetrics,
  createMqttBridge,
  KafkaRawRecordSink,
  LeanKafkaSink,
  loadConfig,
  MqttUplinkSource,
  type RawRecord,
  type RawRecordSink,
} from '@terrapulse/mqtt-bridge';
import { createJsonLogger, createKafka, type Logger } from '@terrapulse/service-kit';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { countingSource } from './own-messages.js';
import type { PublishJob, PublishReport } from './publisher.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '4,16,64' },
    modes: { type: 'string', default: 'pipelined,serial' },
    clients: { type: 'string', default: 'lean,kafkajs' },
    'mqtt-clients': { type: 'string', default: 'lean' },
    'receive-maximum': { type: 'string', default: '256' },
    publishers: { type: 'string', default: '4' },
    window: { type: 'string', default: '500' },
    'skip-baselines': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(args.messages);
const env = readLocalEnvironment();
const logger = createJsonLogger({ service: 'mqtt-bridge-bench', level: 'error' });
const tag = `bench-${randomUUID().slice(0, 6)}`;
/** Every topic of this run contains it, and no other topic does. */
const ownTopic = `/devices/${tag}-`;
const publisherUser = { username: `${tag}-publisher`, password: randomUUID() };

interface Result {
  readonly scenario: string;
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly foreignMessages?: number;
  readonly cpuUsPerMessage?: number;
  readonly meanBatch?: number;
  readonly meanSendMs?: number;
}

function say(line: string): void {
  if (!args.json) console.log(line);
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts the publisher process, connected and waiting; `go()` publishes and resolves with its report. */
async function publisher(): Promise<{ go: () => Promise<PublishReport> }> {
  const child = fork(fileURLToPath(new URL('./publisher.ts', import.meta.url)), { stdio: 'inherit' });
  const job: PublishJob = {
    url: env.MQTT_URL ?? '',
    ...publisherUser,
    tag,
    count: MESSAGES,
    connections: Number(args.publishers),
    window: Number(args.window),
    devices: 500,
    payloadBytes: 200,
  };
  child.send(job);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return {
    go: () =>
      new Promise<PublishReport>((resolve, reject) => {
        child.once('message', (report: PublishReport) => resolve(report));
        child.once('exit', (code) => code !== 0 && reject(new Error(`publisher exited with ${code}`)));
        child.send('go');
      }),
  };
}

async function mqttBaseline(connections: number): Promise<Result> {
  const group = `${tag}-base-${randomUUID().slice(0, 4)}`;
  let own = 0;
  let foreign = 0;
  const clients = await Promise.all(
    Array.from({ length: connections }, async (_, index) => {
      const client = await mqtt.connectAsync(env.MQTT_URL ?? '', {
        username: env.MQTT_BRIDGE_USERNAME ?? '',
        password: env.MQTT_BRIDGE_PASSWORD ?? '',
        clientId: `${group}-${index}`,
        protocolVersion: 5,
        clean: true,
      });
      client.on('message', (topic) => {
        if (topic.includes(ownTopic)) own += 1;
        else foreign += 1;
      });
      await client.subscribeAsync(bridgeSharedSubscription(group), { qos: 1 });
      return client;
    }),
  );
  const pub = await publisher();
  foreign = 0;
  const report = await pub.go();
  await waitUntil(() => own >= MESSAGES, 300_000, 'baseline subscribers');
  const seconds = (Date.now() - report.startedAt) / 1000;
  await Promise.all(clients.map((client) => client.endAsync()));
  return {
    scenario: `mqtt baseline, ${connections} conn, immediate ack`,
    messages: MESSAGES,
    seconds,
    messagesPerSecond: MESSAGES / seconds,
    foreignMessages: foreign,
  };
}

async function withTopic<T>(admin: Admin, run: (topic: string) => Promise<T>): Promise<T> {
  const topic = `${tag}-${randomUUID().slice(0, 6)}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: TOPICS.raw.partitions,
        configEntries: [{ name: 'cleanup.policy', value: 'delete' }],
      },
    ],
  });
  try {
    return await run(topic);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  }
}

function sinkFor(client: string, topic: string, clientId: string, log: Logger): RawRecordSink {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',');
  if (client === 'lean') return new LeanKafkaSink({ brokers, clientId, topic, logger: log });
  return new KafkaRawRecordSink({
    kafka: createKafka({ brokers, clientId, logger: log }),
    topic,
    logger: log,
  });
}

async function kafkaBaseline(admin: Admin, client: string): Promise<Result> {
  return withTopic(admin, async (topic) => {
    const sink = sinkFor(client, topic, `${tag}-kafka`, logger);
    await sink.connect();
    const value = Buffer.alloc(200, 0x61);
    const records: RawRecord[] = Array.from({ length: MESSAGES }, (_, i) => ({
      key: `${tag}-d${i % 500}`,
      value,
      headers: {
        'tp-mqtt-topic': `terrapulse/v1/devices/${tag}-d${i % 500}/up/json`,
        'tp-received-at': String(Date.now()),
        'tp-mqtt-qos': '1',
        'tp-mqtt-retain': 'false',
        'tp-bridge-id': 'bench',
        'tp-content-type': 'application/json',
      },
    }));
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < records.length; i += 2000) await sink.send(records.slice(i, i + 2000));
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await sink.close();
    return {
      scenario: `kafka baseline (${client}), batches of 2000`,
      messages: MESSAGES,
      seconds,
      messagesPerSecond: MESSAGES / seconds,
      cpuUsPerMessage: (cpu.user + cpu.system) / MESSAGES,
    };
  });
}

async function bridgeRun(
  admin: Admin,
  mqttClient: string,
  client: string,
  mode: string,
  connections: number,
): Promise<Result> {
  return withTopic(admin, async (topic) => {
    const config = loadConfig({
      ...env,
      TERRAPULSE_ENV: 'test',
      BRIDGE_INSTANCE_ID: `${tag}-${mqttClient}-${client}-${mode}-${connections}`,
      BRIDGE_SHARE_GROUP: `${tag}-${mqttClient}-${client}-${mode}-${connections}`,
      BRIDGE_MQTT_CLIENT: mqttClient,
      BRIDGE_CONNECTIONS: String(connections),
      BRIDGE_ACK_MODE: mode,
      BRIDGE_RECEIVE_MAXIMUM: args['receive-maximum'],
      BRIDGE_KAFKA_CLIENT: client,
      TOPIC_RAW: topic,
    });
    const metrics = createBridgeMetrics();
    const counts = { acknowledged: 0 };
    const mqttSource = new MqttUplinkSource({
      ...config.mqtt,
      instanceId: config.instanceId,
      logger,
      metrics,
    });
    const bridge = createMqttBridge({
      source: countingSource(mqttSource, ownTopic, counts),
      sink: sinkFor(client, topic, config.kafka.clientId, logger),
      logger,
      metrics,
      options: { instanceId: config.instanceId, ...config.batching },
    });
    await bridge.start();
    try {
      const pub = await publisher();
      const forwarded = async () => (await metrics.forwarded.get()).values[0]?.value ?? 0;
      const forwardedBefore = await forwarded();
      const cpuBefore = process.cpuUsage();
      const report = await pub.go();
      await waitUntil(() => counts.acknowledged >= MESSAGES, 600_000, 'the bridge');
      const seconds = (Date.now() - report.startedAt) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const total = (await forwarded()) - forwardedBefore;
      const batch = await metrics.batchSize.get();
      const send = await metrics.kafkaSendSeconds.get();
      const stat = (h: typeof batch, name: string) => h.values.find((v) => v.metricName === name)?.value ?? 0;
      const batches = stat(batch, 'terrapulse_bridge_batch_size_messages_count');
      return {
        scenario: `bridge mqtt ${mqttClient}, kafka ${client}, ${mode}, ${connections} conn`,
        messages: MESSAGES,
        seconds,
        messagesPerSecond: MESSAGES / seconds,
        foreignMessages: Math.max(0, total - MESSAGES),
        cpuUsPerMessage: (cpu.user + cpu.system) / Math.max(total, MESSAGES),
        meanBatch: stat(batch, 'terrapulse_bridge_batch_size_messages_sum') / batches,
        meanSendMs: (stat(send, 'terrapulse_bridge_kafka_send_duration_seconds_sum') * 1000) / batches,
      };
    } finally {
      await bridge.stop({ endSessions: true });
    }
  });
}

function print(result: Result): void {
  const parts = [
    `${result.scenario.padEnd(40)} ${String(Math.round(result.messagesPerSecond)).padStart(7)} msg/s`,
    `(${result.messages} in ${result.seconds.toFixed(2)} s)`,
  ];
  if (result.foreignMessages !== undefined) parts.push(`foreign ${result.foreignMessages}`);
  if (result.cpuUsPerMessage !== undefined) parts.push(`CPU ${result.cpuUsPerMessage.toFixed(1)} µs/msg`);
  if (result.meanBatch !== undefined) {
    parts.push(`batch ${result.meanBatch.toFixed(0)}, send ${result.meanSendMs?.toFixed(1)} ms`);
  }
  say(parts.join('  '));
}

async function main(): Promise<void> {
  const dynsec = await DynsecClient.connect(env.MQTT_URL ?? '', {
    username: env.MQTT_ADMIN_USERNAME ?? '',
    password: env.MQTT_ADMIN_PASSWORD ?? '',
  });
  const kafka = new Kafka({
    clientId: tag,
    brokers: (env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const role = `${tag}-role`;
  // A bench-only role that may publish as any device; deleted at the end.
  await dynsec.run({
    command: 'createRole',
    rolename: role,
    acls: [{ acltype: 'publishClientSend', topic: 'terrapulse/v1/devices/+/up/#', allow: true }],
  });
  await dynsec.run({ command: 'createClient', ...publisherUser, roles: [{ rolename: role }] });
  const results: Result[] = [];
  const clients = (args.clients ?? '').split(',');
  try {
    say(`${MESSAGES} QoS 1 messages of ~200 bytes per scenario, ${args.publishers} publisher connections`);
    if (!args['skip-baselines']) {
      const baselines = [() => mqttBaseline(1), () => mqttBaseline(16)];
      for (const client of clients) baselines.push(() => kafkaBaseline(admin, client));
      for (const run of baselines) {
        const result = await run();
        results.push(result);
        print(result);
      }
    }
    for (const mqttClient of (args['mqtt-clients'] ?? '').split(',')) {
      for (const client of clients) {
        for (const mode of (args.modes ?? '').split(',')) {
          for (const connections of (args.connections ?? '').split(',').map(Number)) {
            const result = await bridgeRun(admin, mqttClient, client, mode, connections);
            results.push(result);
            print(result);
          }
        }
      }
    }
  } finally {
    await dynsec.send({ command: 'deleteClient', username: publisherUser.username });
    await dynsec.send({ command: 'deleteRole', rolename: role });
    await dynsec.close();
    await admin.disconnect();
  }
  if (args.json) console.log(JSON.stringify({ messages: MESSAGES, results }));
}

await main();
