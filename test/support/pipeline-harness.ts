import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { topicCatalogue } from '@terrapulse/contracts';
import { readLocalEnvironment, repositoryRoot } from '@terrapulse/infra-runner';
import {
  pipelineServices,
  type ServiceProcess,
  scrapeMetrics,
  startServiceProcess,
  stopServiceProcess,
  waitHealthy,
} from '@terrapulse/infra-runner/pipeline';
import { createKafka, silentLogger } from '@terrapulse/service-kit';
import type { Admin, Kafka } from 'kafkajs';

export type PipelineServiceName = 'influx-writer' | 'aggregator' | 'validator' | 'mqtt-bridge';
export const PIPELINE_SERVICES: readonly PipelineServiceName[] = [
  'influx-writer',
  'aggregator',
  'validator',
  'mqtt-bridge',
];

/**
 * One isolated pipeline for a test or a benchmark: its own Kafka topics,
 * consumer groups, MQTT share group and InfluxDB measurement prefix, with every
 * service running as a real child process, so it can be killed with SIGKILL.
 */
export class PipelineHarness {
  readonly runId = randomUUID().slice(0, 8);
  readonly topics: Record<
    'raw' | 'readings' | 'rejected' | 'aggregates' | 'registry' | 'checkpoints',
    string
  >;
  readonly measurementPrefix: string;
  readonly env: Record<string, string> = readLocalEnvironment();
  readonly processes = new Map<string, ServiceProcess>();
  private readonly kafka: Kafka;
  private admin: Admin | undefined;

  /**
   * `replayTolerance` (default true): the aggregator keeps windows open for a day of event time,
   * which exact replays under crashes need; the bench turns it off to measure production settings.
   */
  constructor(
    readonly label = 'e2e',
    private readonly options: { readonly replayTolerance: boolean } = { replayTolerance: true },
  ) {
    const t = (name: string): string => `${name}.${label}-${this.runId}`;
    this.topics = {
      raw: t('telemetry.raw'),
      readings: t('telemetry.readings'),
      rejected: t('telemetry.rejected'),
      aggregates: t('telemetry.aggregates'),
      registry: t('registry.devices'),
      checkpoints: t('aggregator.checkpoints'),
    };
    this.measurementPrefix = `${label}_${this.runId}_`;
    // createKafka, as the services do: it stops kafkajs's idle 1 ms timer loop (see service-kit's
    // kafkajs-idle-timers.ts), which the admin client kept open for the whole run paid in this
    // process, the simulator's, during a bench.
    this.kafka = createKafka({
      clientId: `tp-${label}`,
      brokers: (this.env.KAFKA_BROKERS ?? '').split(','),
      logger: silentLogger,
    });
  }

  async createTopics(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    const byName = new Map(topicCatalogue.map((s) => [s.name, s]));
    const spec = (catalogueName: string, topic: string) => {
      const s = byName.get(catalogueName);
      if (!s) throw new Error(`no catalogue topic ${catalogueName}`);
      return {
        topic,
        numPartitions: s.partitions,
        configEntries: [
          { name: 'cleanup.policy', value: s.cleanupPolicy },
          { name: 'retention.ms', value: String(s.retentionMs) },
        ],
      };
    };
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        spec('telemetry.raw', this.topics.raw),
        spec('telemetry.readings', this.topics.readings),
        spec('telemetry.rejected', this.topics.rejected),
        spec('telemetry.aggregates', this.topics.aggregates),
        spec('registry.devices', this.topics.registry),
      ],
    });
  }

  kafkaClient(): Kafka {
    return this.kafka;
  }

  /** The environment of one service instance of this harness. */
  serviceEnv(service: PipelineServiceName, instance: number, opsPort: number): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      ...this.env,
      LOG_LEVEL: 'warn',
      OPS_PORT: String(opsPort),
      TOPIC_RAW: this.topics.raw,
      TOPIC_READINGS: this.topics.readings,
      TOPIC_REJECTED: this.topics.rejected,
      TOPIC_AGGREGATES: this.topics.aggregates,
      TOPIC_REGISTRY: this.topics.registry,
      TOPIC_CHECKPOINTS: this.topics.checkpoints,
      KAFKA_GROUP_ID: `tp-${service}-${this.label}-${this.runId}`,
      BRIDGE_SHARE_GROUP: `tp-${this.label}-${this.runId}`,
      BRIDGE_INSTANCE_ID: `${this.label}-${this.runId}-bridge-${instance}`,
      // One-off instance ids: a killed bridge's session must not queue later runs' uplinks for days.
      MQTT_SESSION_EXPIRY_S: '120',
      VALIDATOR_INSTANCE_ID: `${this.label}-${this.runId}-validator-${instance}`,
      INSTANCE_ID: `${service}-${instance}`,
      INFLUX_MEASUREMENT_PREFIX: this.measurementPrefix,
      ...(this.options.replayTolerance && {
        // A replay pushes hours of event time through per second of wall time, so a reading held
        // back for a few seconds by a killed bridge or validator (redelivered after the restart)
        // is hours behind its device's later readings: with the production lateness (1 h) the
        // aggregator would rightly drop it as too late, while the tests expect every accepted
        // reading in its windows. Windows close a day later in event time; their values are the
        // same. Lateness itself is covered by the aggregator's own tests.
        AGGREGATOR_OUT_OF_ORDERNESS_MS: String(86_400_000),
      }),
    };
  }

  /** Starts (or restarts) one instance and waits until its /healthz says ok. */
  async start(service: PipelineServiceName, instance = 1): Promise<ServiceProcess> {
    const name = `${service}-${instance}`;
    const opsPort = await freePort();
    // The script and Node.js flags `npm start` runs the service with.
    const spec = pipelineServices(repositoryRoot).find((s) => s.name === service);
    if (spec === undefined) throw new Error(`${service} is not a pipeline service`);
    const p = startServiceProcess({
      name,
      script: spec.script,
      nodeArgs: spec.nodeArgs,
      env: this.serviceEnv(service, instance, opsPort),
      logFile: resolve(repositoryRoot, '.terrapulse', 'logs', `${this.label}-${this.runId}-${name}.log`),
      opsUrl: `http://127.0.0.1:${opsPort}`,
    });
    this.processes.set(name, p);
    if (!(await waitHealthy(p, 120_000))) {
      throw new Error(`${name} did not become healthy; log ${p.spec.logFile}:\n${tail(p.spec.logFile)}`);
    }
    return p;
  }

  async startAll(instances = 1): Promise<void> {
    for (const service of PIPELINE_SERVICES) {
      for (let i = 1; i <= instances; i++) await this.start(service, i);
    }
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
  async crash(name: string): Promise<void> {
    const p = this.processes.get(name);
    if (!p) throw new Error(`no process ${name}`);
    p.child.kill('SIGKILL');
    await p.exit;
  }

  async stop(name: string): Promise<void> {
    const p = this.processes.get(name);
    if (p) await stopServiceProcess(p);
  }

  /** Peak resident memory (VmHWM) of a running instance, in MiB. */
  peakRssMb(name: string): number | undefined {
    return this.memoryMb(name, 'VmHWM');
  }

  /** Current resident memory (VmRSS) of a running instance, in MiB. */
  rssMb(name: string): number | undefined {
    return this.memoryMb(name, 'VmRSS');
  }

  private memoryMb(name: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
    const pid = this.processes.get(name)?.child.pid;
    if (pid === undefined) return undefined;
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match?.[1] ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async metrics(name: string): Promise<string | undefined> {
    const p = this.processes.get(name);
    return p ? scrapeMetrics(p) : undefined;
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => stopServiceProcess(p, 10_000)));
    if (this.admin) {
      const existing = new Set(await this.admin.listTopics());
      const mine = Object.values(this.topics).filter((t) => existing.has(t));
      await this.admin.deleteTopics({ topics: mine }).catch(() => undefined);
      await this.admin.disconnect();
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
