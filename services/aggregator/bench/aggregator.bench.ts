/**
 * Readings per second through the aggregator against the real Kafka:
 *
 *   npx tsx --conditions=source services/aggregator/bench/aggregator.bench.ts [--readings N] [--devices D] [--json]
 *
 * Pre-produces N readings (D energy meters, one index and one power reading per minute, event
 * times a month back) to a unique 6-partition topic, starts the aggregator in-process on it,
 * and times it from its first record to its last, then to the commit of its final checkpoint.
 * Prints throughput, CPU per reading, aggregates published, checkpoint sizes and peak RSS.
 * `--env NAME=VALUE` (repeatable) overrides a variable of the service's environment, e.g.
 * `--env AGGREGATOR_CHECKPOINT_INTERVAL_MS=60000`. With `--profile FILE`, writes a CPU profile of the consumption phase only (open it in
 * Chrome DevTools or speedscope).
 */

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { NormalizedReading } from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import { createKafkaAggregator, loadConfig } from '../src/index.js';
import { KafkaHarness, kafkaBrokers, uniqueName, waitUntil } from '../test/kafka-harness.js';
import { numberOption } from './number-option.js';

const args = process.argv.slice(2);
const READINGS = numberOption('readings', 300_000);
const DEVICES = numberOption('devices', 1_000);
const PARTITIONS = 6;
const MINUTE = 60_000;
const START = Date.parse('2026-10-20T00:00:00Z');

/**
 * The fleet's readings in chunks, so the bench process does not hold them all (RSS is measured).
 * Keys in the order the validator writes them (contract order, `sourceSeq` last), as in the pipeline.
 */
function* fleet(chunk: number): Generator<NormalizedReading[]> {
  let readings: NormalizedReading[] = [];
  let total = 0;
  for (let minute = 0; total < READINGS; minute++) {
    for (let d = 0; d < DEVICES && total < READINGS; d++) {
      const ts = START + minute * MINUTE + (d % 60) * 1_000;
      const series = {
        deviceId: `bench-em-${d}`,
        tenant: 'bench',
        site: `site-${d % 50}`,
        domain: 'energy',
      } as const;
      const times = { ts, receivedAt: ts + 500, dims: {}, sourceSeq: minute };
      const index = 10_000 + d + minute * 0.25;
      readings.push({
        ...series,
        metric: 'energy.active_energy_index',
        kind: 'cumulative_index',
        unit: 'kWh',
        value: index,
        ...times,
      });
      total++;
      if (total < READINGS) {
        const power = 1_000 + ((minute * 37 + d) % 500);
        readings.push({
          ...series,
          metric: 'energy.active_power',
          kind: 'instantaneous',
          unit: 'W',
          value: power,
          ...times,
        });
        total++;
      }
      if (readings.length >= chunk) {
        yield readings;
        readings = [];
      }
    }
  }
  if (readings.length > 0) yield readings;
}

async function metricSum(
  get: () => Promise<{ values: { value: number; metricName?: string }[] }>,
  suffix = '',
) {
  const { values } = await get();
  return values.filter((v) => (v.metricName ?? '').endsWith(suffix)).reduce((sum, v) => sum + v.value, 0);
}

async function main(): Promise<void> {
  const harness = new KafkaHarness();
  await harness.connect();
  try {
    const topics = await harness.createTopics(PARTITIONS);
    const produceStarted = performance.now();
    let produced = 0;
    for (const chunk of fleet(10_000)) {
      await harness.produce(topics.readings, chunk, 10_000);
      produced += chunk.length;
    }
    const produceSeconds = (performance.now() - produceStarted) / 1_000;

    const groupId = uniqueName('tp-aggregator-bench');
    const config = loadConfig({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      TOPIC_READINGS: topics.readings,
      TOPIC_AGGREGATES: topics.aggregates,
      TOPIC_CHECKPOINTS: topics.checkpoints,
      ...Object.fromEntries(
        args.flatMap((arg, i) => (args[i - 1] === '--env' ? [arg.split('=', 2) as [string, string]] : [])),
      ),
    });
    const app = createKafkaAggregator(config, silentLogger);
    const processed = () => metricSum(() => app.metrics.readings.get());
    let peakRss = 0;
    let peakHeap = 0;
    let peakCheckpointBytes = 0;
    const sampler = setInterval(() => {
      const memory = process.memoryUsage();
      peakRss = Math.max(peakRss, memory.rss);
      peakHeap = Math.max(peakHeap, memory.heapUsed);
      metricSum(() => app.metrics.checkpointBytes.get()).then((bytes) => {
        peakCheckpointBytes = Math.max(peakCheckpointBytes, bytes);
      });
    }, 100);

    const profileFile = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
    const profiler = profileFile === undefined ? undefined : new Session();
    if (profiler !== undefined) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      if (args.includes('--heap'))
        await profiler.post('HeapProfiler.startSampling', {
          samplingInterval: 32_768,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
    }
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await app.start();
    let first = 0;
    await waitUntil('the first record', async () => (await processed()) > 0, 60_000);
    first = performance.now();
    await waitUntil('every record', async () => (await processed()) >= produced, 600_000);
    const last = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    if (profiler !== undefined && profileFile !== undefined) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      if (args.includes('--heap')) {
        const heap = await profiler.post('HeapProfiler.stopSampling');
        writeFileSync(`${profileFile}.heapprofile`, JSON.stringify(heap.profile));
      }
    }
    await waitUntil(
      'the final checkpoint',
      async () => (await harness.committed(groupId, topics.readings)) >= produced,
      120_000,
    );
    const committed = performance.now();
    await app.stop();
    clearInterval(sampler);

    const seconds = (last - first) / 1_000;
    const figures = {
      readings: produced,
      devices: DEVICES,
      partitions: PARTITIONS,
      produce_rps: Math.round(produced / produceSeconds),
      throughput_rps: Math.round(produced / seconds),
      throughput_with_startup_rps: Math.round(produced / ((last - started) / 1_000)),
      seconds_to_final_commit: Number(((committed - started) / 1_000).toFixed(2)),
      cpu_us_per_reading: Number(((cpu.user + cpu.system) / produced).toFixed(2)),
      aggregates_out: await metricSum(() => app.metrics.aggregates.get()),
      checkpoints: await metricSum(() => app.metrics.checkpoints.get()),
      peak_checkpoint_bytes: peakCheckpointBytes,
      checkpoint_seconds_avg: Number(
        (
          (await metricSum(() => app.metrics.checkpointSeconds.get(), '_sum')) /
          Math.max(1, await metricSum(() => app.metrics.checkpointSeconds.get(), '_count'))
        ).toFixed(3),
      ),
      peak_rss_mb: Math.round(peakRss / 1_048_576),
      peak_heap_used_mb: Math.round(peakHeap / 1_048_576),
    };
    if (args.includes('--json')) console.log(JSON.stringify(figures));
    else
      for (const [name, value] of Object.entries(figures))
        console.log(`${name.padEnd(28)} ${value.toLocaleString('en-US')}`);
  } finally {
    await harness.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
