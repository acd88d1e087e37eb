/**
 * CPU per reading of the aggregator's own code, without Kafka:
 *
 *   npx tsx --conditions=source services/aggregator/bench/core.bench.ts [--readings N] [--devices D] [--passes P] [--rate R] [--every M]
 *
 * Records in the validator's layout go through the real PartitionProcessor in batches, as the
 * lean consumer hands them over, while a simulated clock moves as if R readings/s arrived: the
 * emit tick runs every `AGGREGATOR_EMIT_INTERVAL_MS` and a checkpoint every
 * `AGGREGATOR_CHECKPOINT_INTERVAL_MS` of that clock, so draining, aggregate encoding and
 * checkpoint encoding weigh per reading what they weigh in the pipeline at that rate. The sink
 * encodes aggregates as the lean sink does (`writeAggregate` into one buffer), the checkpoint
 * store as the Kafka one does (`encodeCheckpoint`). With a simulated clock the output is deterministic: the digest
 * of every byte written must not change when only the speed of the code does.
 */

import { createHash, type Hash } from 'node:crypto';
import type { Aggregate, NormalizedReading } from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import { writeAggregate } from '../src/adapters/kafka/aggregate-json.js';
import { windowStoreOptions } from '../src/app.js';
import { encodeCheckpoint } from '../src/checkpoint-codec.js';
import { aggregatorOptions, loadConfig } from '../src/config.js';
import type {
  AggregateSink,
  CheckpointStore,
  CheckpointWrite,
  PartitionCheckpoint,
  ReadingSource,
  SourceHandlers,
  SourceMessage,
} from '../src/index.js';
import { JsonBytes } from '../src/json-bytes.js';
import { createAggregatorMetrics } from '../src/metrics.js';
import { PartitionProcessor } from '../src/partition-processor.js';
import { numberOption } from './number-option.js';

const READINGS = numberOption('readings', 200_000);
const DEVICES = numberOption('devices', 300);
const PASSES = numberOption('passes', 4);
const RATE = numberOption('rate', 16_500);
const BATCH = numberOption('batch', 250);
const PARTITIONS = 6;
const MINUTE = 60_000;
/**
 * Minutes between two readings of a device: 1 by default; 15 is the pipeline bench's meters, one
 * reading per 15-minute window, which a replay keeps open by the hundred through their grace.
 */
const EVERY = numberOption('every', 1);
const START = Date.parse('2026-10-20T00:00:00Z');

/** One index and one power reading per device every `EVERY` minutes; every third device's power has a phase. */
function fleet(): NormalizedReading[] {
  const readings: NormalizedReading[] = [];
  for (let minute = 0; readings.length < READINGS; minute++) {
    for (let d = 0; d < DEVICES && readings.length < READINGS; d++) {
      const ts = START + minute * EVERY * MINUTE + (d % 60) * 1_000;
      const series = {
        deviceId: `bench-em-${d}`,
        tenant: 'bench',
        site: `site-${d % 50}`,
        domain: 'energy',
      } as const;
      readings.push({
        ...series,
        metric: 'energy.active_energy_index',
        kind: 'cumulative_index',
        unit: 'kWh',
        value: 10_000 + d + minute * 0.25,
        ...{ ts, receivedAt: ts + 500, dims: {}, sourceSeq: minute },
      });
      readings.push({
        ...series,
        metric: 'energy.active_power',
        kind: 'instantaneous',
        unit: 'W',
        value: 1_000 + ((minute * 37 + d) % 500) / 4,
        ...{ ts, receivedAt: ts + 500, dims: d % 3 === 0 ? { phase: 'L1' } : {}, sourceSeq: minute },
      });
    }
  }
  return readings.slice(0, READINGS);
}

function partitionOf(deviceId: string): number {
  let hash = 0;
  for (let i = 0; i < deviceId.length; i++) hash = (hash * 31 + deviceId.charCodeAt(i)) >>> 0;
  return hash % PARTITIONS;
}

function logs(): SourceMessage[][] {
  const partitions: SourceMessage[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const r of fleet()) {
    const log = partitions[partitionOf(r.deviceId)] as SourceMessage[];
    log.push({ offset: String(log.length), value: Buffer.from(JSON.stringify(r)) });
  }
  return partitions;
}

class BenchSource implements ReadingSource {
  handlers: SourceHandlers | undefined;
  async partitionCount(): Promise<number> {
    return PARTITIONS;
  }
  async start(handlers: SourceHandlers): Promise<void> {
    this.handlers = handlers;
  }
  async endOffsets(partitions: readonly number[]): Promise<Map<number, number>> {
    return new Map(partitions.map((p) => [p, 0]));
  }
  async commit(): Promise<void> {}
  isMember(): boolean {
    return true;
  }
  async stop(): Promise<void> {}
}

class EncodingSink implements AggregateSink {
  readonly #values = new JsonBytes(1024 * 1024);
  constructor(readonly digest: Hash) {}
  async connect(): Promise<void> {}
  async send(aggregates: readonly Aggregate[]): Promise<void> {
    const values = this.#values;
    values.reset();
    for (const aggregate of aggregates) {
      const start = values.at;
      writeAggregate(values, aggregate);
      this.digest.update(values.buffer.subarray(start, values.at));
    }
  }
  async close(): Promise<void> {}
}

class EncodingStore implements CheckpointStore {
  constructor(readonly digest: Hash) {}
  async prepare(): Promise<void> {}
  async load(): Promise<Map<number, PartitionCheckpoint>> {
    return new Map();
  }
  async save(checkpoints: readonly PartitionCheckpoint[]): Promise<CheckpointWrite> {
    let bytes = 0;
    for (const checkpoint of checkpoints) {
      const value = encodeCheckpoint('bench', checkpoint);
      this.digest.update(value);
      bytes += value.length;
    }
    return { bytes };
  }
  async close(): Promise<void> {}
}

async function pass(
  partitions: readonly SourceMessage[][],
): Promise<{ us: number; wall: number; digest: string }> {
  const config = loadConfig({ KAFKA_BROKERS: 'localhost:9092' });
  const options = aggregatorOptions(config);
  const digest = createHash('sha256');
  let now = Date.parse('2026-11-28T12:00:00Z');
  const clock = () => now;
  const source = new BenchSource();
  const processor = new PartitionProcessor({
    source,
    sink: new EncodingSink(digest),
    checkpoints: new EncodingStore(digest),
    logger: silentLogger,
    options,
    metrics: createAggregatorMetrics(),
    clock,
    storeOptions: windowStoreOptions(options, clock),
  });
  await source.start(processor.handlers);
  const handlers = source.handlers as SourceHandlers;
  const started = process.cpuUsage();
  const wallStarted = performance.now();
  handlers.onAssign(partitions.map((_, p) => p));
  const positions = partitions.map(() => 0);
  let nextTick = now + options.emitIntervalMs;
  for (let delivered = 1; delivered > 0; ) {
    delivered = 0;
    for (let p = 0; p < partitions.length; p++) {
      const log = partitions[p] as SourceMessage[];
      const from = positions[p] ?? 0;
      const messages = log.slice(from, from + BATCH);
      if (messages.length === 0) continue;
      await handlers.onBatch(
        { partition: p, messages, highWatermark: log.length },
        {
          resolve: (offset) => {
            positions[p] = offset + 1;
          },
          heartbeat: async () => true,
          seek: () => {
            throw new Error('the bench never seeks');
          },
          isActive: () => true,
        },
      );
      delivered += messages.length;
      now += (messages.length / RATE) * 1_000;
      if (now >= nextTick) {
        await processor.tick();
        nextTick += options.emitIntervalMs;
      }
    }
  }
  await processor.shutdown();
  const cpu = process.cpuUsage(started);
  const wall = performance.now() - wallStarted;
  return { us: (cpu.user + cpu.system) / READINGS, wall, digest: digest.digest('hex').slice(0, 16) };
}

async function main(): Promise<void> {
  const partitions = logs();
  const figures: number[] = [];
  let digest = '';
  for (let i = 0; i < PASSES; i++) {
    const result = await pass(partitions);
    if (digest !== '' && result.digest !== digest) throw new Error('passes wrote different bytes');
    digest = result.digest;
    figures.push(result.us);
    console.log(`pass ${i + 1}: ${result.us.toFixed(2)} us/reading, ${Math.round(result.wall)} ms`);
  }
  const warm = figures.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] ?? figures[0] ?? 0;
  console.log(
    `readings ${READINGS}, devices ${DEVICES}, every ${EVERY} min, rate ${RATE}/s: median warm ${median.toFixed(2)} us/reading, output digest ${digest}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
