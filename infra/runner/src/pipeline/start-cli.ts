import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../config.js';
import { createServers, ServerStartError, up } from '../infra.js';
import { readLocalEnvironment, repositoryRoot } from '../local-environment.js';
import { ensureSecrets } from '../secrets.js';
import { consumerGroupLag } from './consumer-lag.js';
import { countersFrom, type PipelineCounters, statusLine } from './live-status.js';
import { instanceEnv, pipelineServices } from './pipeline-services.js';
import {
  type ServiceProcess,
  scrapeMetrics,
  startServiceProcess,
  stopServiceProcess,
  waitHealthy,
} from './service-process.js';
import { parseStartOptions, START_USAGE, type StartOptions } from './start-options.js';

/** The registry's API and console in a local run (REGISTRY_HTTP_PORT's default). */
const REGISTRY_URL = 'http://127.0.0.1:8410';

/**
 * `npm start`: the servers, every pipeline service and the simulator for a
 * demo territory, with a live status line; `--duration N` ends with a summary.
 */
async function main(options: StartOptions): Promise<number> {
  const say = (line: string): void => {
    (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  const config = loadConfig(process.env, repositoryRoot);
  const secrets = ensureSecrets(config.paths.secretsFile);
  await up(
    config,
    createServers(config, secrets, (m) => say(`[infra] ${m}`)),
    secrets,
    (m) => say(`[infra] ${m}`),
  );
  const env = readLocalEnvironment();
  const specs = pipelineServices(repositoryRoot);
  const simulatorScript = resolve(repositoryRoot, 'services/simulator/dist/main.js');
  for (const script of [...specs.map((s) => s.script), simulatorScript]) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  }

  const processes: ServiceProcess[] = [];
  for (const spec of specs) {
    for (let i = 0; i < (spec.scales ? options.instances : 1); i++) {
      const p = startServiceProcess({
        name: `${spec.name}-${i + 1}`,
        script: spec.script,
        nodeArgs: spec.nodeArgs,
        env: instanceEnv(env, spec, i, { LOG_LEVEL: 'warn' }),
        logFile: resolve(config.paths.logs, `${spec.name}-${i + 1}.log`),
        opsUrl: `http://127.0.0.1:${spec.basePort + 100 * i}`,
      });
      processes.push(p);
      if (!(await waitHealthy(p, 90_000))) {
        await Promise.all(processes.map((x) => stopServiceProcess(x)));
        throw new Error(`${p.spec.name} did not become healthy; see ${p.spec.logFile}`);
      }
      say(`[start] ${p.spec.name} healthy (${p.spec.opsUrl}/healthz, log ${p.spec.logFile})`);
    }
  }

  // Operators onboard devices through the registry; the demo fleet is onboarded the same way.
  say(`[start] onboarding the demo territory through the registry (${options.devices} devices)`);
  const seedCode = await runSimulator(
    simulatorScript,
    env,
    ['seed', '--devices', String(options.devices), '--registry-url', REGISTRY_URL],
    say,
  );
  if (seedCode !== 0) {
    await Promise.all([...processes].reverse().map((p) => stopServiceProcess(p)));
    throw new Error('onboarding the demo territory failed; see its output above');
  }

  const startedAt = Date.now();
  // Readings are counted by event time from a minute before the start (clock skew, held-back late
  // readings); what an earlier run stored in that minute is counted now and left out of this run's.
  const countFrom = startedAt - 60_000;
  const storedBefore = await storedReadings(env, countFrom);
  const simArgs = [
    'run',
    '--registry-url',
    REGISTRY_URL,
    '--devices',
    String(options.devices),
    '--mode',
    'live',
    '--speed',
    '60',
    '--rate',
    String(options.rate),
  ];
  simArgs.push('--faults', options.faults, '--json');
  if (options.durationS !== undefined) simArgs.push('--duration', String(options.durationS));
  let simulatorSummary: Record<string, unknown> = {};
  const simulator = runSimulator(simulatorScript, env, simArgs, say, (json) => {
    simulatorSummary = json;
  });

  const kafka = new Kafka({
    clientId: 'tp-start',
    brokers: (env.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const lagOf = async (): Promise<Map<string, number>> => {
    const lag = new Map<string, number>();
    for (const spec of specs) {
      if (spec.group)
        lag.set(
          spec.group.id,
          await consumerGroupLag(admin, spec.group.id, spec.group.topics).catch(() => -1),
        );
    }
    return lag;
  };
  const scrape = async (): Promise<PipelineCounters> =>
    countersFrom(
      (await Promise.all(processes.map(scrapeMetrics))).filter((b): b is string => b !== undefined),
      Date.now(),
    );

  let stopRequested = false;
  process.once('SIGINT', () => {
    stopRequested = true;
  });
  let simulatorDone = false;
  void simulator.then(() => {
    simulatorDone = true;
  });
  let previous = await scrape();
  while (!stopRequested && !simulatorDone) {
    await sleep(2_000);
    const now = await scrape();
    say(statusLine(now, previous, await lagOf(), (Date.now() - startedAt) / 1000));
    previous = now;
    const dead = processes.find((p) => p.exited());
    if (dead) say(`[start] ${dead.spec.name} exited; see ${dead.spec.logFile}`);
  }

  say('[start] simulator finished; draining the pipeline');
  const drainDeadline = Date.now() + 120_000;
  let lag = await lagOf();
  while (Date.now() < drainDeadline && [...lag.values()].some((n) => n !== 0)) {
    await sleep(1_000);
    lag = await lagOf();
  }
  // Aggregates of the last windows are emitted on the aggregator's emit interval.
  await sleep(3_000);
  const final = await scrape();
  const stored = (await storedReadings(env, countFrom)) - storedBefore;
  const devicesByState = await registryDevicesByState(env).catch(() => ({}));
  await admin.disconnect();
  await Promise.all([...processes].reverse().map((p) => stopServiceProcess(p)));
  await simulator;

  const summary = {
    duration_s: Math.round((Date.now() - startedAt) / 1000),
    devices: options.devices,
    instances: options.instances,
    published: Number(simulatorSummary.published ?? simulatorSummary.publishedReadings ?? 0),
    acked: Number(simulatorSummary.acked ?? simulatorSummary.ackedReadings ?? 0),
    forwarded_by_bridge: final.bridgeForwarded,
    readings_validated: final.readingsOut,
    stored_readings: stored,
    rejected_by_reason: Object.fromEntries(final.rejectedByReason),
    devices_by_state: devicesByState,
    aggregates_emitted: final.aggregatesOut,
    influx_points_written: final.influxPoints,
    final_lag: Object.fromEntries(lag),
    simulator: simulatorSummary,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else say(`[start] summary\n${JSON.stringify(summary, null, 2)}`);
  return 0;
}

/** Runs the simulator CLI; forwards its log lines and hands its last JSON line to `onJson`. */
function runSimulator(
  script: string,
  env: Record<string, string>,
  args: string[],
  say: (line: string) => void,
  onJson?: (json: Record<string, unknown>) => void,
): Promise<number | null> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'warn', OPS_PORT: '9407' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (onJson && line.startsWith('{') && line.includes('"published"')) {
        try {
          onJson(JSON.parse(line) as Record<string, unknown>);
          continue;
        } catch {
          /* not the summary */
        }
      }
      if (line.trim() !== '') say(`[simulator] ${line}`);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => say(`[simulator] ${chunk.toString().trimEnd()}`));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The registry's devices counted by lifecycle state (the registry lists at most 500 a page). */
async function registryDevicesByState(env: Record<string, string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const url = new URL('/api/v1/devices', REGISTRY_URL);
    url.searchParams.set('limit', '500');
    if (cursor !== null) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, { headers: { authorization: `Bearer ${env.REGISTRY_ADMIN_TOKEN}` } });
    if (!response.ok) throw new Error(`registry answered ${response.status}`);
    const page = (await response.json()) as {
      items: Array<{ device: { state: string } }>;
      nextCursor: string | null;
    };
    for (const item of page.items) counts[item.device.state] = (counts[item.device.state] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return counts;
}

/** Readings stored in InfluxDB since `fromMs`, counted with InfluxQL. */
async function storedReadings(env: Record<string, string>, fromMs: number): Promise<number> {
  const url = new URL('/query', env.INFLUX_URL);
  url.searchParams.set('db', env.INFLUX_DATABASE ?? 'terrapulse');
  url.searchParams.set('q', `SELECT count("value") FROM "reading" WHERE time >= ${fromMs}ms`);
  const auth = Buffer.from(`${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`).toString('base64');
  const response = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
  const body = (await response.json()) as { results?: Array<{ series?: Array<{ values?: unknown[][] }> }> };
  return Number(body.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
}

let options: StartOptions;
try {
  options = parseStartOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${START_USAGE}`);
  process.exit(2);
}
main(options).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof ServerStartError
        ? `[infra] ${error.message}`
        : `[start] failed: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  },
);
