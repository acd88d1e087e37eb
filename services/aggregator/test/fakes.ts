/**
 * In-memory ports: a partitioned log with a consumer group's committed offsets, a sink and a
 * checkpoint store, all writing to one event list so tests can assert the order of effects.
 */

import type { Aggregate, NormalizedReading } from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import { type AggregatorOptions, windowStoreOptions } from '../src/app.js';
import type {
  AggregateSink,
  CheckpointStore,
  CheckpointWrite,
  PartitionCheckpoint,
  ReadingSource,
  SourceHandlers,
  SourceMessage,
} from '../src/index.js';
import { createAggregatorMetrics } from '../src/metrics.js';
import { PartitionProcessor } from '../src/partition-processor.js';

export type Effect = 'send' | 'save' | 'commit';

export class FakeSource implements ReadingSource {
  readonly logs: SourceMessage[][];
  readonly committed = new Map<number, number>();
  readonly position = new Map<number, number>();
  assigned: number[] = [];
  rebalancing = false;
  member = true;
  #handlers: SourceHandlers | undefined;
  readonly #effects: Effect[];

  constructor(partitions: number, effects: Effect[]) {
    this.logs = Array.from({ length: partitions }, () => []);
    this.#effects = effects;
  }

  /** Appends readings keyed by device, like the validator's producer. */
  appendReadings(readings: readonly NormalizedReading[]): void {
    for (const r of readings) this.append(this.partitionOf(r.deviceId), Buffer.from(JSON.stringify(r)));
  }

  append(partition: number, value: Buffer | null): void {
    const log = this.logs[partition];
    if (log === undefined) throw new Error(`no partition ${partition}`);
    log.push({ offset: String(log.length), value });
  }

  partitionOf(deviceId: string): number {
    let hash = 0;
    for (const c of deviceId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    return hash % this.logs.length;
  }

  /** A new group generation: positions go back to the committed offsets. */
  assign(partitions: number[]): void {
    this.assigned = partitions;
    for (const p of partitions) this.position.set(p, this.committed.get(p) ?? 0);
    this.#handlers?.onAssign(partitions);
  }

  /** Delivers one batch of at most `max` records from the partition's position. */
  async deliver(partition: number, max = Number.POSITIVE_INFINITY): Promise<number> {
    const log = this.logs[partition] ?? [];
    const from = this.position.get(partition) ?? 0;
    const messages = log.slice(from, from + max);
    if (messages.length === 0 || this.#handlers === undefined) return 0;
    let sought: number | undefined;
    await this.#handlers.onBatch(
      { partition, messages, highWatermark: log.length },
      {
        resolve: (offset) => this.position.set(partition, offset + 1),
        heartbeat: async () => !this.rebalancing,
        seek: (offset) => {
          sought = offset;
        },
        isActive: () => sought === undefined,
      },
    );
    if (sought !== undefined) this.position.set(partition, sought);
    return messages.length;
  }

  /** Delivers batches of `batchSize` until every assigned partition is read to its end. */
  async drain(batchSize = 25): Promise<void> {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      let delivered = 0;
      for (const p of this.assigned) delivered += await this.deliver(p, batchSize);
      if (delivered === 0) return;
    }
    throw new Error('drain did not finish');
  }

  async partitionCount(): Promise<number> {
    return this.logs.length;
  }

  async start(handlers: SourceHandlers): Promise<void> {
    this.#handlers = handlers;
  }

  async endOffsets(partitions: readonly number[]): Promise<Map<number, number>> {
    return new Map(partitions.map((p) => [p, this.logs[p]?.length ?? 0]));
  }

  async commit(offsets: ReadonlyMap<number, number>): Promise<void> {
    this.#effects.push('commit');
    for (const [p, o] of offsets) this.committed.set(p, o);
  }

  isMember(): boolean {
    return this.member;
  }

  async stop(): Promise<void> {}
}

export class FakeSink implements AggregateSink {
  readonly sent: Aggregate[] = [];
  failures = 0;
  attempts = 0;
  readonly #effects: Effect[];

  constructor(effects: Effect[]) {
    this.#effects = effects;
  }

  async connect(): Promise<void> {}

  async send(aggregates: readonly Aggregate[]): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('broker unavailable');
    }
    this.#effects.push('send');
    this.sent.push(...aggregates);
  }

  async close(): Promise<void> {}
}

export class FakeCheckpointStore implements CheckpointStore {
  /** Stored as JSON, as a real store would: nothing shared with the live state. */
  readonly stored = new Map<number, string>();
  readonly #effects: Effect[];

  constructor(effects: Effect[]) {
    this.#effects = effects;
  }

  async prepare(): Promise<void> {}

  async load(partitions: readonly number[]): Promise<Map<number, PartitionCheckpoint>> {
    const loaded = new Map<number, PartitionCheckpoint>();
    for (const p of partitions) {
      const json = this.stored.get(p);
      if (json !== undefined) loaded.set(p, JSON.parse(json) as PartitionCheckpoint);
    }
    return loaded;
  }

  async save(checkpoints: readonly PartitionCheckpoint[]): Promise<CheckpointWrite> {
    this.#effects.push('save');
    let bytes = 0;
    for (const c of checkpoints) {
      const json = JSON.stringify(c);
      bytes += json.length;
      this.stored.set(c.partition, json);
    }
    return { bytes };
  }

  async close(): Promise<void> {}
}

export const OPTIONS: AggregatorOptions = {
  timeZone: 'Europe/Paris',
  windows: ['15m', '1h', '1d'],
  allowedLatenessMs: 3_600_000,
  outOfOrdernessMs: 0,
  closeGraceMs: 0,
  resetRatio: 0.5,
  idleTimeoutMs: 10 * 365 * 86_400_000,
  emitIntervalMs: 1_000,
  checkpointIntervalMs: 5_000,
  checkpointMaxMessages: 1_000_000,
};

/** A processor over the fakes, with a clock the test moves by hand. */
export function processorOver(
  parts: { source: FakeSource; sink: FakeSink; checkpoints: FakeCheckpointStore },
  options: Partial<AggregatorOptions> = {},
  now: { value: number } = { value: Date.parse('2026-11-28T12:00:00Z') },
) {
  const metrics = createAggregatorMetrics();
  const merged = { ...OPTIONS, ...options };
  const clock = () => now.value;
  const processor = new PartitionProcessor({
    ...parts,
    logger: silentLogger,
    options: merged,
    metrics,
    clock,
    storeOptions: windowStoreOptions(merged, clock),
  });
  return { processor, metrics, now };
}
