/**
 * MQTT publish benchmark of the simulator against the real Mosquitto:
 *
 *   npx tsx --conditions=source services/simulator/bench/publish.bench.ts [--devices 50,300,1000]
 *     [--readings 200000] [--inflight 16] [--format json|senml] [--pack 1] [--client lean|mqttjs] [--json]
 *     [--ledger] [--profile FILE]
 *
 * For each fleet size: provisions that many devices (own credentials each, unique id prefix),
 * replays enough history to publish about --readings readings at QoS 1, one reading per message
 * by default, as fast as the in-flight bound allows, and prints readings/s acknowledged (PUBACK),
 * the rate a plain subscriber with the bridge credentials received them at (a separate process,
 * its own share group), and the simulator's CPU per reading. Devices are deleted afterwards.
 * `--ledger` keeps the ledger as the end-to-end bench does (test/support/simulated-fleet.ts);
 * `--profile FILE` writes a CPU profile of the publish phase (last fleet size) for DevTools.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { silentLogger } from '@terrapulse/service-kit';
import {
  buildTerritory,
  CredentialsFile,
  DynsecAccessAdmin,
  deprovisionFleet,
  LeanMqttConnector,
  MqttDeviceConnector,
  provisionFleet,
  replayReadings,
  runSimulation,
} from '../src/index.js';

const HOUR = 3_600_000;
const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '300' },
    readings: { type: 'string', default: '200000' },
    inflight: { type: 'string', default: '16' },
    format: { type: 'string', default: 'json' },
    pack: { type: 'string', default: '1' },
    client: { type: 'string', default: 'lean' },
    json: { type: 'boolean', default: false },
    ledger: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const env = readLocalEnvironment();
const mqttUrl = env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const admin = { username: env.MQTT_ADMIN_USERNAME ?? '', password: env.MQTT_ADMIN_PASSWORD ?? '' };

/** The plain subscriber, in its own process so it does not share the publisher's event loop. */
const SUBSCRIBER = `
import mqtt from 'mqtt';
const client = await mqtt.connectAsync(process.env.URL, {
  username: process.env.USER_NAME, password: process.env.PASSWORD, clientId: process.env.GROUP,
  protocolVersion: 5, reconnectPeriod: 0,
});
let received = 0, first = 0, last = 0;
const root = 'terrapulse/v1/devices/' + process.env.PREFIX;
client.on('message', (topic) => {
  if (!topic.startsWith(root)) return;
  if (received++ === 0) first = Date.now();
  last = Date.now();
});
await client.subscribeAsync('$share/' + process.env.GROUP + '/terrapulse/v1/devices/+/up/+', { qos: 1 });
console.log(JSON.stringify({ ready: true }));
setInterval(() => console.log(JSON.stringify({ received, first, last })), 200);
process.on('SIGTERM', () => client.end(true, () => process.exit(0)));
`;

interface SubscriberReport {
  received: number;
  first: number;
  last: number;
}

async function startSubscriber(prefix: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SUBSCRIBER], {
    env: {
      ...process.env,
      URL: mqttUrl,
      USER_NAME: env.MQTT_BRIDGE_USERNAME,
      PASSWORD: env.MQTT_BRIDGE_PASSWORD,
      GROUP: `bench-${prefix.slice(0, -1)}`,
      PREFIX: prefix,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let latest: SubscriberReport = { received: 0, first: 0, last: 0 };
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const report = JSON.parse(line) as SubscriberReport & { ready?: boolean };
      if (report.ready) resolve();
      else latest = report;
    });
  });
  await ready;
  return { report: () => latest, stop: () => child.kill('SIGTERM') };
}

async function benchFleet(devices: number, targetReadings: number) {
  const prefix = `b${Math.random().toString(36).slice(2, 8)}-`;
  const fleet = buildTerritory({ devices, prefix });
  const perHour = fleet.devices.reduce(
    (n, d) => n + replayReadings(d.profile, d.record.expectedIntervalS, 0, HOUR),
    0,
  );
  const to = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR - 24 * HOUR;
  const from = to - Math.ceil(targetReadings / perHour) * HOUR;
  const dir = await mkdtemp(join(tmpdir(), 'tp-sim-bench-'));
  const dynsec = await DynsecAccessAdmin.connect(mqttUrl, admin);
  const store = await CredentialsFile.open(join(dir, 'credentials.json'));
  const subscriber = await startSubscriber(prefix);
  try {
    let t = performance.now();
    const { passwords } = await provisionFleet(fleet.devices, { admin: dynsec, store });
    const provisionS = (performance.now() - t) / 1000;
    t = performance.now();
    const connector =
      values.client === 'mqttjs'
        ? new MqttDeviceConnector({ url: mqttUrl, logger: silentLogger })
        : new LeanMqttConnector({ url: mqttUrl, logger: silentLogger });
    const run = await runSimulation({
      devices: fleet.devices,
      passwords,
      connector,
      mode: { kind: 'replay', from, to },
      keepLedger: values.ledger,
      maxInFlightPerDevice: Number(values.inflight),
      format: values.format === 'senml' ? 'senml' : 'json',
      pack: Number(values.pack),
      connectConcurrency: 64,
    });
    const connectS = (performance.now() - t) / 1000;
    // Publishing starts on the next turn of the event loop: CPU from here on is the publish path.
    const profiler = await startProfiler();
    const cpuBefore = process.cpuUsage();
    const stats = await run.done;
    const cpu = process.cpuUsage(cpuBefore);
    await profiler?.stop();
    const deadline = Date.now() + 30_000;
    while (subscriber.report().received < stats.acked && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const sub = subscriber.report();
    const publishS = stats.readings.acked / Math.max(1, stats.ackedReadingsPerS);
    return {
      client: values.client,
      devices: fleet.devices.length,
      readings: stats.readings.acked,
      messages: stats.acked,
      unacked: stats.unacked + stats.failed,
      provision_s: round(provisionS, 2),
      connect_s: round(connectS, 2),
      acked_readings_per_s: stats.ackedReadingsPerS,
      subscriber_received: sub.received,
      subscriber_msgs_per_s:
        sub.last > sub.first ? Math.round((sub.received * 1000) / (sub.last - sub.first)) : 0,
      simulator_cpu_us_per_reading: round(((cpu.user + cpu.system) / stats.readings.acked) * 1, 1),
      simulator_cpu_share: round((cpu.user + cpu.system) / 1e6 / Math.max(publishS, 0.001), 2),
      rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    subscriber.stop();
    await deprovisionFleet(fleet.devices, { admin: dynsec, store });
    await dynsec.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CPU profile of the publish phase when --profile is given. */
async function startProfiler() {
  const file = values.profile;
  if (file === undefined) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

const results = [];
for (const size of values.devices.split(',').map(Number)) {
  const result = await benchFleet(size, Number(values.readings));
  results.push(result);
  if (!values.json) {
    console.log(
      `${result.client} ${String(result.devices).padStart(5)} devices: ${result.readings} readings in ${result.messages} msgs, ` +
        `${result.acked_readings_per_s.toLocaleString('en-US')} readings/s acked, subscriber ` +
        `${result.subscriber_received} at ${result.subscriber_msgs_per_s.toLocaleString('en-US')} msgs/s, ` +
        `simulator CPU ${result.simulator_cpu_us_per_reading} µs/reading (${result.simulator_cpu_share} core), ` +
        `connect ${result.connect_s} s, provision ${result.provision_s} s, unacked ${result.unacked}, rss ${result.rss_mb} MB`,
    );
  }
}
if (values.json) console.log(JSON.stringify(results));
process.exit(0);
