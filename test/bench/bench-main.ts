import { Agent, get } from 'node:http';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { testEnvironment } from '../support/environment.js';
import { PIPELINE_SERVICES, PipelineHarness } from '../support/pipeline-harness.js';
import { SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';
import { measureLatency, percentile } from './latency-probe.js';
import { type LegFigure, measureInfluxLeg, measureKafkaLeg, measureMqttLeg } from './legs.js';
import { machineCpuSeconds, serverCpuSeconds, serverThreadCpuSeconds } from './machine-cpu.js';

/**
 * `npm run bench`: the real pipeline driven by the simulator at full rate for a
 * fixed number of readings, each leg measured alone in the same run, the
 * publish-to-queryable latency at a lower rate, and peak memory per service.
 */
const { values } = parseArgs({
  options: {
    readings: { type: 'string', default: '100000' },
    devices: { type: 'string', default: '300' },
    'latency-rate': { type: 'string', default: '200' },
    'latency-count': { type: 'string', default: '600' },
    instances: { type: 'string', default: '1' },
    /**
     * Readings per warm-up round: rounds are replayed through the whole pipeline before the
     * measured run, not measured, until Kafka's JIT compiler threads take less than a tenth of
     * its CPU in a round (or after --warmup-rounds). Right after `npm run infra -- up` they take
     * about half of it for a few minutes of load (more than 10 rounds), which a deployment that
     * has been running long never pays; on a warm broker one round does. 0 measures from cold.
     */
    warmup: { type: 'string', default: '40000' },
    'warmup-rounds': { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of every service into this folder (node --cpu-prof) when it stops. */
    'cpu-prof': { type: 'string' },
    /** NAME=VALUE added to every service's environment, repeatable: A/B runs of a setting. */
    env: { type: 'string', multiple: true, default: [] },
  },
});
const target = Number(values.readings);
/** HotSpot's JIT compiler threads, as Linux names them (`C2 CompilerThre`, `C1 CompilerThre`). */
const KAFKA_JIT_THREADS = /^C\d CompilerThre/;
const log = (line: string): void => {
  (values.json ? process.stderr : process.stdout).write(`${line}\n`);
};

// Production settings: no day of reordering tolerance (it keeps far more windows open).
const harness = new PipelineHarness('bench', { replayTolerance: false });
const profileDir = values['cpu-prof'];
const extraEnv = Object.fromEntries(
  values.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env wants NAME=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const serviceEnv = harness.serviceEnv.bind(harness);
harness.serviceEnv = (service, instance, opsPort) => ({
  ...serviceEnv(service, instance, opsPort),
  ...extraEnv,
  ...(profileDir !== undefined && {
    // NODE_OPTIONS refuses --cpu-prof: a preload starts the profiler instead.
    NODE_OPTIONS: `--import=${new URL('./cpu-profile-preload.mjs', import.meta.url).href}`,
    CPU_PROFILE_DIR: profileDir,
    CPU_PROFILE_NAME: `${service}-${instance}.cpuprofile`,
  }),
});
const fleet = new SimulatedFleet(harness.env, `b${harness.runId}-`, Number(values.devices));
const influx = influxEnv(harness.env);
/** Keeps one connection per service open for the metrics polls while the pipeline drains. */
const pollAgent = new Agent({ keepAlive: true, maxSockets: 1 });
try {
  log(`[bench] legs alone (${target} messages each)`);
  const env = testEnvironment();
  const legs: LegFigure[] = [
    await measureMqttLeg(env, target),
    await measureKafkaLeg(env, target),
    await measureInfluxLeg(env, target),
  ];
  for (const l of legs)
    log(`  ${l.leg.padEnd(9)} ${Math.round(l.rps).toString().padStart(7)} /s  (${l.detail})`);
  const slowest = legs.reduce((a, b) => (a.rps <= b.rps ? a : b));

  await harness.createTopics();
  await fleet.provision(harness.kafkaClient(), harness.topics.registry);
  const instances = Number(values.instances);
  await harness.startAll(instances);

  // Replay just enough simulated time for the target number of readings, ending yesterday.
  const days = target / fleet.readingsPerDay();
  const to =
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 86_400_000;
  const from = to - Math.ceil(days * 96) * 900_000;
  const baseline = await warmUp(from, Number(values.warmup), instances);
  log(
    `[bench] pipeline: replaying ${(days * 24).toFixed(1)} h of ${fleet.registered.length} devices at full rate`,
  );
  const cpuBefore = await serviceCpuSeconds(harness, instances);
  const serversBefore = serverCpuSeconds();
  const machineBefore = machineCpuSeconds();
  const benchBefore = process.cpuUsage();
  const started = performance.now();
  const run = await fleet.replay(new Date(from).toISOString(), new Date(to).toISOString(), '');
  const published = performance.now();
  const expected = distinctReadings(run.ledger.filter((e) => e.expected === 'accepted')).size;
  const measurement = `${harness.measurementPrefix}reading`;
  // Counting 200,000 points costs InfluxDB about 30 ms of CPU, taken from the pipeline on every
  // poll: wait on the writers' own count of accepted points, then let InfluxDB confirm.
  await eventually(
    async () => (await writerReadingPoints(harness, instances)) - baseline.written >= expected,
    600_000,
    100,
  );
  await eventually(
    async () => (await countStoredReadings(influx, measurement)) - baseline.stored >= expected,
    600_000,
    100,
  );
  const queryable = performance.now();
  // The aggregator reads the same readings beside the writer: a run is only as fast as it is
  // sustainable if the aggregator kept up too, so its CPU counts until it has applied them all.
  const aggregatorInputAtQueryable = (await aggregatorInput(harness, instances)) - baseline.aggregated;
  await eventually(
    async () => (await aggregatorInput(harness, instances)) - baseline.aggregated >= expected,
    600_000,
    100,
  );
  const aggregated = performance.now();
  const cpuAfter = await serviceCpuSeconds(harness, instances);
  const aggregates = minus(await aggregatesByState(harness, instances), baseline.aggregates);
  const serversAfter = serverCpuSeconds();
  const machineAfter = machineCpuSeconds();
  const benchCpu = process.cpuUsage(benchBefore);
  const throughput = expected / ((queryable - started) / 1000);
  const aggregatedRps = expected / ((aggregated - started) / 1000);
  log(
    `  ${expected} readings: published in ${((published - started) / 1000).toFixed(1)} s, all queryable after ${((queryable - started) / 1000).toFixed(1)} s -> ${Math.round(throughput)} readings/s`,
  );
  log(
    `  aggregator: ${Math.round((100 * Math.min(aggregatorInputAtQueryable, expected)) / expected)} % of them applied when all were queryable, all after ${((aggregated - started) / 1000).toFixed(1)} s -> ${Math.round(aggregatedRps)} readings/s aggregated`,
  );

  // CPU time is what the 2 cores share: unlike wall time it barely moves with the machine's noise.
  const cpuUsPerReading: Record<string, number> = {};
  for (const [name, seconds] of cpuAfter) {
    const before = cpuBefore.get(name) ?? 0;
    cpuUsPerReading[name] = Math.round(((seconds - before) * 1e6) / expected);
  }
  // The servers and the simulator share the same 2 cores: their cost per reading bounds what any
  // service code could reach on this machine.
  for (const [name, seconds] of serversAfter) {
    cpuUsPerReading[name] = Math.round(((seconds - (serversBefore.get(name) ?? 0)) * 1e6) / expected);
  }
  cpuUsPerReading['simulator+bench'] = Math.round((benchCpu.user + benchCpu.system) / expected);
  const machineBusy = machineAfter.busy - machineBefore.busy;
  const machineUsPerReading = Math.round((machineBusy * 1e6) / expected);
  const machineLoad = machineBusy / (machineAfter.total - machineBefore.total);
  log(
    `[bench] whole machine: ${machineUsPerReading} us CPU per stored reading, cores ${Math.round(machineLoad * 100)} % busy during the run`,
  );
  // What the servers and the device fleet alone cost caps the pipeline on this machine, whatever
  // the services do: the figure that says how much of the target is left to the services' code.
  const serviceNames = new Set(cpuAfter.keys());
  const outsideUs = Object.entries(cpuUsPerReading)
    .filter(([name]) => !serviceNames.has(name))
    .reduce((sum, [, us]) => sum + us, 0);
  const servicesUs = machineUsPerReading - outsideUs;
  const cores = availableParallelism();
  const ceilingRps = outsideUs > 0 ? Math.round((cores * 1e6) / outsideUs) : undefined;
  log(
    `[bench] servers + simulator: ${outsideUs} us per reading, so ${cores} cores cap the pipeline at ${ceilingRps ?? '?'} readings/s even with free services; services (and the rest of the machine): ${servicesUs} us`,
  );
  log(
    `[bench] CPU per stored reading (us): ${Object.entries(cpuUsPerReading)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  // Every aggregate also costs Kafka, the writer and InfluxDB: how many a reading causes matters.
  log(`[bench] aggregates published per stored reading: ${perReading(aggregates, expected)}`);
  const probe = fleet.registered.find((d) => d.record.metrics.includes('energy.active_power'));
  if (!probe) throw new Error('no device with energy.active_power in the bench fleet');
  log(
    `[bench] latency: ${values['latency-count']} readings at ${values['latency-rate']}/s, publish -> queryable`,
  );
  const latencies = (
    await measureLatency({
      mqttUrl: harness.env.MQTT_URL ?? '',
      deviceId: probe.record.deviceId,
      password: fleet.passwordOf(probe.record.deviceId) ?? '',
      influx,
      measurement,
      ratePerS: Number(values['latency-rate']),
      count: Number(values['latency-count']),
    })
  ).sort((a, b) => a - b);
  const latency = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
  log(
    `  p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms (${latencies.length} samples, 50 ms poll)`,
  );

  const aggregatesAtEnd = minus(await aggregatesByState(harness, instances), baseline.aggregates);
  log(
    `[bench] aggregates published by the end of the bench, per stored reading: ${perReading(aggregatesAtEnd, expected)}`,
  );
  const rss: Record<string, number> = {};
  for (const s of PIPELINE_SERVICES) {
    for (let i = 1; i <= instances; i++)
      rss[instances === 1 ? s : `${s}-${i}`] = Math.round(harness.peakRssMb(`${s}-${i}`) ?? 0);
  }
  log(
    `[bench] peak RSS (MiB): ${Object.entries(rss)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const ratio = throughput / slowest.rps;
  log(
    `[bench] pipeline ${Math.round(throughput)} readings/s = ${ratio.toFixed(2)} x the slowest leg (${slowest.leg}, ${Math.round(slowest.rps)}/s)`,
  );
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        throughput_rps: Math.round(throughput),
        slowest_leg_rps: Math.round(slowest.rps),
        slowest_leg: slowest.leg,
        ratio: Number(ratio.toFixed(3)),
        latency_ms: latency,
        rss_mb: rss,
        cpu_us_per_reading: cpuUsPerReading,
        machine_cpu_us_per_reading: machineUsPerReading,
        machine_busy_fraction: Number(machineLoad.toFixed(3)),
        servers_and_simulator_cpu_us_per_reading: outsideUs,
        ceiling_rps_with_free_services: ceilingRps,
        readings: expected,
        aggregated_rps: Math.round(aggregatedRps),
        aggregator_applied_fraction_when_queryable: Number(
          (Math.min(aggregatorInputAtQueryable, expected) / expected).toFixed(3),
        ),
        aggregates_per_reading: Object.fromEntries(
          Object.entries(aggregates).map(([state, n]) => [state, Number((n / expected).toFixed(3))]),
        ),
        instances,
        warmup_readings: baseline.warmupReadings,
        legs: Object.fromEntries(legs.map((l) => [l.leg, { rps: Math.round(l.rps), detail: l.detail }])),
      })}\n`,
    );
  }
} finally {
  pollAgent.destroy();
  await harness.teardown();
  await fleet.deprovision();
}

/** What the pipeline had done before the measured run: the warm-up's counts, subtracted from the run's. */
interface Baseline {
  readonly written: number;
  readonly stored: number;
  readonly aggregated: number;
  readonly aggregates: Record<string, number>;
  readonly warmupReadings: number;
}

/**
 * Replays `readings` readings of the simulated time just before `before` through the whole
 * pipeline and waits until the writers and the aggregator have taken all of them in.
 */
async function warmUp(before: number, readings: number, instances: number): Promise<Baseline> {
  const maxRounds = readings > 0 ? Number(values['warmup-rounds']) : 0;
  // Rounds go forward in simulated time, so a round never brings readings older than the last;
  // stopping early leaves a gap before the measured run, as a device offline for a while does.
  const roundMs = Math.ceil((readings / fleet.readingsPerDay()) * 96) * 900_000;
  let taken = 0;
  for (let round = 1; round <= maxRounds; round++) {
    const from = before - (maxRounds - round + 1) * roundMs;
    const kafkaBefore = serverCpuSeconds().get('kafka') ?? 0;
    const jitBefore = serverThreadCpuSeconds('kafka', KAFKA_JIT_THREADS) ?? 0;
    const run = await fleet.replay(new Date(from).toISOString(), new Date(from + roundMs).toISOString(), '');
    taken += distinctReadings(run.ledger.filter((e) => e.expected === 'accepted')).size;
    await eventually(async () => (await writerReadingPoints(harness, instances)) >= taken, 600_000, 100);
    await eventually(async () => (await aggregatorInput(harness, instances)) >= taken, 600_000, 100);
    const kafka = (serverCpuSeconds().get('kafka') ?? 0) - kafkaBefore;
    const jit = (serverThreadCpuSeconds('kafka', KAFKA_JIT_THREADS) ?? 0) - jitBefore;
    const share = kafka > 0 ? jit / kafka : 0;
    log(
      `[bench] warm-up round ${round}: ${readings} readings, not measured; Kafka's JIT compiler took ${Math.round(share * 100)} % of its CPU`,
    );
    if (share < 0.1) break;
    if (round === maxRounds)
      log(`[bench] Kafka's JIT is still compiling after ${maxRounds} rounds: the figures below include it`);
  }
  return {
    written: await writerReadingPoints(harness, instances),
    stored: await countStoredReadings(influx, `${harness.measurementPrefix}reading`),
    aggregated: await aggregatorInput(harness, instances),
    aggregates: await aggregatesByState(harness, instances),
    warmupReadings: taken,
  };
}

function minus(counts: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, n - (before[key] ?? 0)]));
}

/**
 * Reading points InfluxDB accepted from the writers, by their own metrics. Polled every 100 ms while
 * the pipeline drains, through one kept-alive connection per service: fetch cost this process (the
 * simulator's) about a millisecond of CPU per poll.
 */
async function writerReadingPoints(h: PipelineHarness, instances: number): Promise<number> {
  let points = 0;
  for (let i = 1; i <= instances; i++) {
    const match = /^\w*points_written_total\{measurement="reading"\} ([0-9.e+-]+)$/m.exec(
      (await polledMetrics(h, `influx-writer-${i}`)) ?? '',
    );
    points += Number(match?.[1] ?? 0);
  }
  return points;
}

/** process_cpu_seconds_total of every service instance (with its prefix, if any), from its /metrics. */
async function serviceCpuSeconds(h: PipelineHarness, instances: number): Promise<Map<string, number>> {
  const seconds = new Map<string, number>();
  for (const s of PIPELINE_SERVICES) {
    for (let i = 1; i <= instances; i++) {
      const match = /^(?:\w+_)?process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(
        (await h.metrics(`${s}-${i}`)) ?? '',
      );
      if (match?.[1]) seconds.set(instances === 1 ? s : `${s}-${i}`, Number(match[1]));
    }
  }
  return seconds;
}

/** `update 0.300, final 0.012`: counts by state divided by the stored readings. */
function perReading(byState: Record<string, number>, readings: number): string {
  return Object.entries(byState)
    .map(([state, n]) => `${state} ${(n / readings).toFixed(3)}`)
    .join(', ');
}

/** Readings the aggregator instances took in, whatever their outcome (applied, duplicate, late, invalid). */
async function aggregatorInput(h: PipelineHarness, instances: number): Promise<number> {
  let input = 0;
  for (let i = 1; i <= instances; i++) {
    const text = (await polledMetrics(h, `aggregator-${i}`)) ?? '';
    for (const m of text.matchAll(/^terrapulse_aggregator_readings_total\{[^}]*\} ([0-9.e+-]+)$/gm))
      input += Number(m[1]);
  }
  return input;
}

/** terrapulse_aggregator_aggregates_total of every aggregator instance, summed by state. */
async function aggregatesByState(h: PipelineHarness, instances: number): Promise<Record<string, number>> {
  const byState: Record<string, number> = {};
  for (let i = 1; i <= instances; i++) {
    const text = (await h.metrics(`aggregator-${i}`)) ?? '';
    for (const m of text.matchAll(/^terrapulse_aggregator_aggregates_total\{([^}]*)\} ([0-9.e+-]+)$/gm)) {
      const state = /state="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? 'unlabelled';
      byState[state] = (byState[state] ?? 0) + Number(m[2]);
    }
  }
  return byState;
}

/** The /metrics text of a running service instance, through the kept-alive poll connection. */
async function polledMetrics(h: PipelineHarness, instance: string): Promise<string | undefined> {
  const p = h.processes.get(instance);
  return p === undefined || p.exited() ? undefined : pollText(`${p.spec.opsUrl}/metrics`);
}

/** The body of a 200 answer to GET `url`, undefined on any other answer, an error or a 2 s timeout. */
function pollText(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = get(url, { agent: pollAgent, timeout: 2_000 }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        resolve(undefined);
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
      response.on('error', () => resolve(undefined));
    });
    request.on('timeout', () => request.destroy(new Error('metrics poll timed out')));
    request.on('error', () => resolve(undefined));
  });
}
