import { EventEmitter } from 'node:events';
import { forEachLimited } from '../for-each-limited.js';
import type { Logger } from '../logger.js';
import { appendTo } from './append-to.js';
import { BrokerPool } from './broker-pool.js';
import {
  decodeFetchResponse,
  decodeListOffsets,
  EARLIEST,
  encodeFetchRequest,
  encodeListOffsetsRequest,
  FETCH_API,
  type FetchedPartition,
  type FetchPosition,
  LATEST,
} from './fetch-protocol.js';
import { type Generation, GroupMembership } from './group-membership.js';
import { GROUP_API, type TopicPartitions } from './group-protocol.js';
import { isMetadataError, isRejoinError, KafkaErrorCode, kafkaErrorName } from './kafka-error-codes.js';
import { KafkaGroupError } from './kafka-group-error.js';
import { API } from './protocol.js';
import { type LeanRecord, readRecordBatches, UnsupportedBatchError } from './record-batch-reader.js';

export interface LeanConsumerOptions {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly logger: Logger;
  /** Default 30 s. */
  readonly sessionTimeoutMs?: number;
  /** How long the group waits for members to rejoin. Default 60 s. */
  readonly rebalanceTimeoutMs?: number;
  /** Default 3 s. Heartbeats run on a timer of their own, whatever the batches are doing. */
  readonly heartbeatIntervalMs?: number;
  /** A fetch returns once this many bytes are ready or after `maxWaitTimeInMs`. Default 1. */
  readonly minBytes?: number;
  /** Default 5 s. */
  readonly maxWaitTimeInMs?: number;
  /** Default 1 MiB. */
  readonly maxBytesPerPartition?: number;
  /** Default 10 MiB. */
  readonly maxBytes?: number;
  /** Default 30 s. */
  readonly requestTimeoutMs?: number;
}

/** One partition's records of one fetch, with the kafkajs Batch methods the services call. */
export interface LeanBatch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: readonly LeanRecord[];
  offsetLag(): string;
  firstOffset(): string | null;
  lastOffset(): string;
}

/** kafkajs's Offsets: next offsets to read, by topic and partition. */
export interface LeanOffsets {
  readonly topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}

/** What `eachBatch` gets: the subset of kafkajs's EachBatchPayload the services use. */
export interface LeanEachBatchPayload {
  readonly batch: LeanBatch;
  /** Marks `offset` processed: the next fetch of the partition starts after it. */
  resolveOffset(offset: string): void;
  /** Rejects with a KafkaGroupError (type REBALANCE_IN_PROGRESS...) once the group rebalances. */
  heartbeat(): Promise<void>;
  /** Commits `offsets` (next offsets to read), or every resolved offset not committed yet. */
  commitOffsetsIfNecessary(offsets?: LeanOffsets): Promise<void>;
  /** Resolved offsets not committed yet, of this partition. */
  uncommittedOffsets(): LeanOffsets;
  /** Pauses the partition; the function returned resumes it. */
  pause(): () => void;
  isRunning(): boolean;
  /** True once the partition was sought or left this member after the batch was fetched. */
  isStale(): boolean;
}

export interface LeanRunOptions {
  readonly eachBatch: (payload: LeanEachBatchPayload) => Promise<void> | void;
  /** Partitions whose batches are handled at once. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
}

export interface LeanGroupJoin {
  readonly memberAssignment: Record<string, number[]>;
  readonly generationId: number;
  readonly memberId: string;
}

/** Event payloads, by event name: the fields of kafkajs's events the services read. */
export interface LeanConsumerEventPayloads {
  'consumer.group_join': LeanGroupJoin;
  'consumer.heartbeat': { groupId: string };
  'consumer.rebalancing': { groupId: string; memberId: string };
  'consumer.crash': { error: Error; groupId: string; restart: boolean };
  'consumer.fetch_start': Record<string, never>;
  'consumer.fetch': { numberOfBatches: number };
}

export type LeanConsumerEvent = keyof LeanConsumerEventPayloads;

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to fetch: the resolved position. */
  position: number;
  committed: number;
  /** Bumped by a seek, so batches fetched before it know they are stale. */
  seeks: number;
}

const RETRY_MIN_MS = 300;
const RETRY_MAX_MS = 10_000;

/**
 * A Kafka consumer-group member at a fraction of kafkajs's CPU per record: fetches decoded in
 * place (keys and values are views into the response, varints read without intermediate
 * objects), heartbeats on their own timer, and kafkajs's consumer semantics where the services
 * rely on them: manual offset resolution (the next fetch starts after the last resolved offset,
 * and at the committed offset again after every rebalance), explicit commits under the current
 * generation only, pause and resume (kept across rebalances), seek, and the events GROUP_JOIN,
 * HEARTBEAT, REBALANCING, CRASH, FETCH_START and FETCH with kafkajs's names and payload fields.
 *
 * One loop per consumer: join, read the committed positions, then fetch and hand each partition's
 * records to `eachBatch` (`partitionsConsumedConcurrently` at a time) until the group rebalances,
 * the consumer stops or an error restarts the loop (CRASH with `restart: true`). Batches in
 * progress are always finished before the member rejoins.
 */
export class LeanConsumer {
  readonly events = Object.freeze({
    GROUP_JOIN: 'consumer.group_join',
    HEARTBEAT: 'consumer.heartbeat',
    REBALANCING: 'consumer.rebalancing',
    CRASH: 'consumer.crash',
    FETCH_START: 'consumer.fetch_start',
    FETCH: 'consumer.fetch',
  } as const);

  private readonly emitter = new EventEmitter();
  private readonly pool: BrokerPool;
  private readonly options: Required<
    Omit<LeanConsumerOptions, 'logger' | 'brokers' | 'clientId' | 'groupId'>
  >;
  private membership: GroupMembership | undefined;
  private topics: string[] = [];
  private fromBeginning = false;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly pausedTopics = new Set<string>();
  private readonly pausedPartitions = new Set<string>();
  private rebalancing = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastHeartbeat = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly base: LeanConsumerOptions) {
    this.options = {
      sessionTimeoutMs: base.sessionTimeoutMs ?? 30_000,
      rebalanceTimeoutMs: base.rebalanceTimeoutMs ?? 60_000,
      heartbeatIntervalMs: base.heartbeatIntervalMs ?? 3_000,
      minBytes: base.minBytes ?? 1,
      maxWaitTimeInMs: base.maxWaitTimeInMs ?? 5_000,
      maxBytesPerPartition: base.maxBytesPerPartition ?? 1024 * 1024,
      maxBytes: base.maxBytes ?? 10 * 1024 * 1024,
      requestTimeoutMs: base.requestTimeoutMs ?? 30_000,
    };
    this.pool = new BrokerPool({
      brokers: base.brokers,
      clientId: base.clientId,
      requestTimeoutMs: this.options.requestTimeoutMs,
      metadataMaxAgeMs: 300_000,
    });
  }

  on<E extends LeanConsumerEvent>(
    event: E,
    listener: (event: { readonly payload: LeanConsumerEventPayloads[E] }) => void,
  ): void {
    this.emitter.on(event, listener);
  }

  /** Checks that the broker serves every request version this client speaks. */
  async connect(): Promise<void> {
    const connection = await this.pool.anyConnection();
    await connection.requireApiVersions(
      { ...API, ...GROUP_API, ...FETCH_API },
      this.options.requestTimeoutMs,
    );
  }

  async subscribe(subscription: { topics: readonly string[]; fromBeginning?: boolean }): Promise<void> {
    this.topics = [...subscription.topics];
    this.fromBeginning = subscription.fromBeginning ?? false;
    await this.pool.leadersOf(this.topics);
  }

  /** Starts the loop and resolves at once, as kafkajs's run() does. */
  async run(options: LeanRunOptions): Promise<void> {
    if (this.running) throw new Error('the lean consumer is already running');
    if (this.topics.length === 0) throw new Error('subscribe before run');
    this.membership = new GroupMembership(this.pool, {
      groupId: this.base.groupId,
      clientId: this.base.clientId,
      topics: this.topics,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      logger: this.base.logger,
    });
    this.running = true;
    this.loop = this.runLoop(options);
  }

  pause(topics: ReadonlyArray<{ topic: string; partitions?: readonly number[] }>): void {
    for (const { topic, partitions } of topics) {
      if (partitions === undefined) this.pausedTopics.add(topic);
      else for (const partition of partitions) this.pausedPartitions.add(key(topic, partition));
    }
  }

  resume(topics: ReadonlyArray<{ topic: string; partitions?: readonly number[] }>): void {
    for (const { topic, partitions } of topics) {
      if (partitions === undefined) {
        this.pausedTopics.delete(topic);
        for (const k of [...this.pausedPartitions])
          if (k.startsWith(`${topic}|`)) this.pausedPartitions.delete(k);
      } else for (const partition of partitions) this.pausedPartitions.delete(key(topic, partition));
    }
    this.wake?.();
  }

  /** The next fetch of the partition starts at `offset`; batches fetched before become stale. */
  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    const state = this.partitions.get(key(topic, partition));
    if (state === undefined) throw new Error(`seek: ${topic}/${partition} is not assigned to this member`);
    state.position = Number(offset);
    state.seeks++;
  }

  /** Commits the given next offsets under the current generation. */
  async commitOffsets(
    offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>,
  ): Promise<void> {
    const membership = this.requireMembership();
    const parsed = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) }));
    await this.commitChecked(membership, parsed);
  }

  /** Stops fetching, waits for the batches in progress, leaves the group, closes the connections. */
  async disconnect(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.stopHeartbeats();
    await this.membership?.leave();
    this.membership?.close();
    this.pool.close();
  }

  private async runLoop(options: LeanRunOptions): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const generation = await this.joinGroup();
        failures = 0;
        await this.consume(generation, options);
      } catch (error) {
        this.stopHeartbeats();
        this.partitions.clear();
        if (!this.running) break;
        const fatal = error instanceof UnsupportedBatchError;
        const rejoin = error instanceof KafkaGroupError && isRejoinError(error.code);
        if (!rejoin) {
          failures++;
          this.membership?.reset(fatal);
          const crash = error instanceof Error ? error : new Error(String(error));
          this.emit(this.events.CRASH, { error: crash, groupId: this.base.groupId, restart: !fatal });
        }
        if (fatal) {
          this.running = false;
          break;
        }
        if (!rejoin) {
          this.base.logger.warn('kafka consumer failed, joining again', { error, attempt: failures });
          await this.sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures, 6)));
        }
      }
    }
    this.stopHeartbeats();
  }

  private async joinGroup(): Promise<Generation> {
    const membership = this.requireMembership();
    this.rebalancing = false;
    const generation = await membership.join();
    this.partitions.clear();
    const assigned: Record<string, number[]> = Object.fromEntries(generation.assignment);
    if (generation.assignment.size > 0) await this.loadPositions(generation.assignment);
    this.lastHeartbeat = Date.now();
    this.startHeartbeats(membership);
    this.base.logger.info('joined the consumer group', {
      groupId: this.base.groupId,
      generationId: generation.generationId,
      assignment: assigned,
    });
    this.emit(this.events.GROUP_JOIN, {
      memberAssignment: assigned,
      generationId: generation.generationId,
      memberId: generation.memberId,
    });
    return generation;
  }

  /** Committed offsets, else the earliest or latest one, as `fromBeginning` says. */
  private async loadPositions(assignment: TopicPartitions): Promise<void> {
    const committed = await this.requireMembership().committed(assignment);
    const missing = new Map<string, number[]>();
    for (const [topic, indexes] of assignment) {
      for (const partition of indexes) {
        const offset = committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? -1;
        this.partitions.set(key(topic, partition), {
          topic,
          partition,
          position: offset,
          committed: offset,
          seeks: 0,
        });
        if (offset < 0) appendTo(missing, topic, partition);
      }
    }
    if (missing.size > 0) await this.resetPositions(missing);
  }

  private async resetPositions(partitions: TopicPartitions): Promise<void> {
    const timestamp = this.fromBeginning ? EARLIEST : LATEST;
    const leaders = await this.pool.leadersOf([...partitions.keys()]);
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const [topic, indexes] of partitions) {
      for (const partition of indexes) {
        const leader = leaders.get(topic)?.[partition] ?? -1;
        const topics = byLeader.get(leader) ?? new Map<string, number[]>();
        byLeader.set(leader, topics);
        appendTo(topics, topic, partition);
      }
    }
    for (const [leader, topics] of byLeader) {
      if (leader < 0) {
        this.pool.markStale();
        throw new Error(`kafka: no leader for ${[...topics.keys()].join(', ')}`);
      }
      const connection = await this.pool.connectionTo(leader);
      const results = decodeListOffsets(
        await connection.request(
          FETCH_API.listOffsets,
          [encodeListOffsetsRequest(topics, timestamp)],
          this.options.requestTimeoutMs,
        ),
      );
      for (const result of results) {
        if (result.errorCode !== KafkaErrorCode.NONE) {
          if (isMetadataError(result.errorCode)) this.pool.markStale();
          throw new Error(
            `kafka ListOffsets ${result.topic}/${result.partition}: ${kafkaErrorName(result.errorCode)}`,
          );
        }
        const state = this.partitions.get(key(result.topic, result.partition));
        // A reset position is nothing processed yet: not something to commit, as with kafkajs.
        if (state !== undefined) {
          state.position = result.offset;
          state.committed = result.offset;
        }
      }
    }
  }

  /** Fetch, hand over, repeat, until the generation ends or the consumer stops. */
  private async consume(generation: Generation, options: LeanRunOptions): Promise<void> {
    const concurrency = Math.max(1, options.partitionsConsumedConcurrently ?? 1);
    while (this.running && !this.rebalancing) {
      const positions = this.fetchablePositions();
      this.emit(this.events.FETCH_START, {});
      if (positions.length === 0) {
        await this.sleep(this.options.maxWaitTimeInMs);
        continue;
      }
      const fetched = await this.fetch(positions);
      // Stopping: what was fetched stays unresolved, and whoever reads the partition next gets it.
      if (!this.running) break;
      this.emit(this.events.FETCH, { numberOfBatches: fetched.length });
      const batches: Array<{ state: PartitionState; batch: LeanBatch }> = [];
      const outOfRange = new Map<string, number[]>();
      for (const partition of fetched) {
        const state = this.partitions.get(key(partition.topic, partition.partition));
        if (state === undefined) continue;
        if (partition.errorCode === KafkaErrorCode.OFFSET_OUT_OF_RANGE) {
          this.base.logger.warn('fetch position out of range, resetting it', {
            ...partition,
            records: undefined,
          });
          appendTo(outOfRange, state.topic, state.partition);
          continue;
        }
        const batch = this.toBatch(state, partition);
        if (batch !== undefined) batches.push({ state, batch });
      }
      await forEachLimited(batches, concurrency, async ({ state, batch }) => {
        await options.eachBatch(this.payload(generation, state, batch));
      });
      if (outOfRange.size > 0) await this.resetPositions(outOfRange);
    }
    if (this.rebalancing && this.running) {
      this.emit(this.events.REBALANCING, { groupId: this.base.groupId, memberId: generation.memberId });
      throw new KafkaGroupError(KafkaErrorCode.REBALANCE_IN_PROGRESS, 'consumer group rebalancing');
    }
  }

  private fetchablePositions(): FetchPosition[] {
    const positions: FetchPosition[] = [];
    for (const [k, state] of this.partitions) {
      if (this.pausedTopics.has(state.topic) || this.pausedPartitions.has(k)) continue;
      positions.push({ topic: state.topic, partition: state.partition, offset: state.position });
    }
    return positions;
  }

  private async fetch(positions: readonly FetchPosition[]): Promise<FetchedPartition[]> {
    const leaders = await this.pool.leadersOf(this.topics);
    const byLeader = new Map<number, FetchPosition[]>();
    for (const position of positions) {
      const leader = leaders.get(position.topic)?.[position.partition] ?? -1;
      if (leader < 0) continue;
      appendTo(byLeader, leader, position);
    }
    if (byLeader.size === 0) {
      this.pool.markStale();
      await this.sleep(RETRY_MIN_MS);
      return [];
    }
    const responses = await Promise.all(
      [...byLeader].map(async ([leader, forLeader]) => {
        const connection = await this.pool.connectionTo(leader);
        const body = encodeFetchRequest({
          maxWaitMs: this.options.maxWaitTimeInMs,
          minBytes: this.options.minBytes,
          maxBytes: this.options.maxBytes,
          maxBytesPerPartition: this.options.maxBytesPerPartition,
          positions: forLeader,
        });
        return decodeFetchResponse(
          await connection.request(
            FETCH_API.fetch,
            [body],
            this.options.requestTimeoutMs + this.options.maxWaitTimeInMs,
          ),
        );
      }),
    );
    const partitions: FetchedPartition[] = [];
    for (const response of responses) {
      if (response.errorCode !== KafkaErrorCode.NONE) {
        throw new Error(`kafka Fetch: ${kafkaErrorName(response.errorCode)}`);
      }
      partitions.push(...response.partitions);
    }
    return partitions;
  }

  /** The partition's records from its position on, or undefined when there are none. */
  private toBatch(state: PartitionState, fetched: FetchedPartition): LeanBatch | undefined {
    if (fetched.errorCode !== KafkaErrorCode.NONE) {
      if (isMetadataError(fetched.errorCode)) this.pool.markStale();
      this.base.logger.warn('fetch of a partition failed', {
        topic: state.topic,
        partition: state.partition,
        error: kafkaErrorName(fetched.errorCode),
      });
      return undefined;
    }
    if (fetched.records === null || fetched.records.length === 0) return undefined;
    const { records: messages, nextOffset } = readRecordBatches(fetched.records, state.position);
    if (messages.length === 0) {
      // Only transaction markers or records before the position: step over them.
      if (nextOffset !== undefined && nextOffset > state.position) state.position = nextOffset;
      return undefined;
    }
    const highWatermark = fetched.highWatermark;
    const last = messages[messages.length - 1] as LeanRecord;
    return {
      topic: state.topic,
      partition: state.partition,
      highWatermark: String(highWatermark),
      messages,
      offsetLag: () => String(Math.max(0, highWatermark - 1 - Number(last.offset))),
      firstOffset: () => messages[0]?.offset ?? null,
      lastOffset: () => last.offset,
    };
  }

  private payload(generation: Generation, state: PartitionState, batch: LeanBatch): LeanEachBatchPayload {
    const seeks = state.seeks;
    const k = key(state.topic, state.partition);
    const current = (): PartitionState | undefined => {
      const now = this.partitions.get(k);
      return now === state ? now : undefined;
    };
    const uncommitted = (): LeanOffsets => {
      const live = current();
      if (live === undefined || live.position <= live.committed) return { topics: [] };
      return {
        topics: [
          {
            topic: live.topic,
            partitions: [{ partition: live.partition, offset: String(live.position) }],
          },
        ],
      };
    };
    return {
      batch,
      resolveOffset: (offset) => {
        const live = this.partitions.get(k);
        if (live === undefined)
          throw new Error(`${state.topic}/${state.partition} is no longer assigned to this member`);
        live.position = Number(offset) + 1;
      },
      heartbeat: async () => {
        if (this.rebalancing || this.membership?.generation !== generation) {
          throw new KafkaGroupError(KafkaErrorCode.REBALANCE_IN_PROGRESS, 'Heartbeat');
        }
        if (Date.now() - this.lastHeartbeat >= this.options.heartbeatIntervalMs) await this.beat();
      },
      commitOffsetsIfNecessary: async (offsets) => {
        const membership = this.requireMembership();
        const wanted = offsets === undefined ? this.allUncommitted() : offsets;
        const list = wanted.topics.flatMap(({ topic, partitions }) =>
          partitions.map((p) => ({ topic, partition: Number(p.partition), offset: Number(p.offset) })),
        );
        await this.commitChecked(membership, list);
      },
      uncommittedOffsets: uncommitted,
      pause: () => {
        this.pause([{ topic: state.topic, partitions: [state.partition] }]);
        return () => this.resume([{ topic: state.topic, partitions: [state.partition] }]);
      },
      isRunning: () => this.running && !this.rebalancing && this.membership?.generation === generation,
      isStale: () => current() === undefined || state.seeks !== seeks,
    };
  }

  private allUncommitted(): LeanOffsets {
    const topics = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const state of this.partitions.values()) {
      if (state.position <= state.committed) continue;
      appendTo(topics, state.topic, { partition: state.partition, offset: String(state.position) });
    }
    return { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) };
  }

  private async commitChecked(
    membership: GroupMembership,
    offsets: ReadonlyArray<{ topic: string; partition: number; offset: number }>,
  ): Promise<void> {
    try {
      await membership.commit(offsets);
    } catch (error) {
      if (error instanceof KafkaGroupError && isRejoinError(error.code)) this.rebalancing = true;
      throw error;
    }
    for (const { topic, partition, offset } of offsets) {
      const state = this.partitions.get(key(topic, partition));
      if (state !== undefined && offset > state.committed) state.committed = offset;
    }
  }

  private startHeartbeats(membership: GroupMembership): void {
    this.stopHeartbeats();
    this.heartbeatTimer = setInterval(
      () => {
        if (Date.now() - this.lastHeartbeat < this.options.heartbeatIntervalMs * 0.9) return;
        this.beat(membership).catch((error: unknown) => {
          this.base.logger.debug('heartbeat failed', { error });
        });
      },
      Math.max(100, Math.floor(this.options.heartbeatIntervalMs / 3)),
    );
    this.heartbeatTimer.unref();
  }

  private stopHeartbeats(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** One heartbeat; a rebalance (or a lost membership) ends the fetch loop's generation. */
  private async beat(membership = this.requireMembership()): Promise<void> {
    try {
      await membership.heartbeat();
      this.lastHeartbeat = Date.now();
      this.emit(this.events.HEARTBEAT, { groupId: this.base.groupId });
    } catch (error) {
      if (error instanceof KafkaGroupError) {
        this.rebalancing = true;
        this.stopHeartbeats();
        this.wake?.();
      }
      throw error;
    }
  }

  private requireMembership(): GroupMembership {
    if (this.membership === undefined) throw new Error('the lean consumer is not running');
    return this.membership;
  }

  private emit<E extends LeanConsumerEvent>(event: E, payload: LeanConsumerEventPayloads[E]): void {
    this.emitter.emit(event, { id: 0, type: event, timestamp: Date.now(), payload });
  }

  /** A sleep that resume(), a rebalance or disconnect() cut short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    });
  }
}

function key(topic: string, partition: number): string {
  return `${topic}|${partition}`;
}
