import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@terrapulse/service-kit';
import type { Redis } from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { type OutboxEntry, outboxBatch } from '../../domain/outbox-batch.js';
import type { RegistryMetrics } from '../../metrics.js';
import { ACK_OUTBOX, ACQUIRE_LEASE, RELEASE_LEASE } from '../redis/lua-scripts.js';
import type { RegistryKeys } from '../redis/registry-keys.js';

export interface OutboxRelayOptions {
  /** A dedicated connection: the relay blocks on it (XREAD BLOCK) while the outbox is empty. */
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly keys: RegistryKeys;
  readonly topic: string;
  /** Lease duration; another instance takes over this long after this one stopped renewing. */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly metrics: RegistryMetrics;
  /** @default 500 */
  readonly batchSize?: number;
}

/**
 * Publishes the outbox stream to the compacted registry topic, oldest first, acks=all, then
 * deletes what Kafka acknowledged. Only the holder of a Redis lease relays, so two registry
 * instances never publish concurrently (which could reorder a device's records). A crash between
 * the publish and the delete republishes the same records in the same order: harmless on a
 * compacted topic whose consumers keep the latest record.
 */
export class OutboxRelay {
  private readonly owner = randomUUID();
  private readonly producer: Producer;
  private running: Promise<void> | undefined;
  private stopping = false;
  private leader = false;
  private lastId = '0-0';

  constructor(private readonly options: OutboxRelayOptions) {
    // One request in flight keeps the order without the idempotent producer (whose exactly-once
    // needs unbounded retries); a failed batch is sent again from the outbox, in the same order.
    this.producer = options.kafka.producer({
      maxInFlightRequests: 1,
      // Bounded retries, so that a send gives up well within the lease (see sendBatch).
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 1_000 },
    });
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    await this.options.redis.eval(RELEASE_LEASE, 1, this.options.keys.relayLease, this.owner).catch(() => 0);
    this.setLeader(false);
    await this.producer.disconnect();
  }

  private setLeader(leader: boolean): void {
    if (leader !== this.leader)
      this.options.logger.info(leader ? 'outbox relay leader' : 'outbox relay standby');
    this.leader = leader;
    this.options.metrics.relayLeader.set(leader ? 1 : 0);
  }

  private async loop(): Promise<void> {
    const { redis, keys, leaseMs } = this.options;
    let failures = 0;
    while (!this.stopping) {
      try {
        const held = (await redis.eval(ACQUIRE_LEASE, 1, keys.relayLease, this.owner, leaseMs)) === 1;
        this.setLeader(held);
        if (!held) {
          await sleep(Math.min(1_000, leaseMs / 3));
          continue;
        }
        const published = await this.relayOnce();
        if (!published) await this.waitForEntries();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.logger.warn('outbox relay failed, retrying', { error, failures });
        await sleep(Math.min(5_000, 200 * 2 ** Math.min(failures, 5)));
      }
    }
  }

  /** Publishes one batch; false when the outbox was empty. */
  private async relayOnce(): Promise<boolean> {
    const { redis, keys, metrics } = this.options;
    const entries = (await redis.xrange(
      keys.outbox,
      '-',
      '+',
      'COUNT',
      this.options.batchSize ?? 500,
    )) as OutboxEntry[];
    metrics.outboxPending.set(await redis.xlen(keys.outbox));
    if (entries.length === 0) return false;
    const batch = outboxBatch(entries);
    for (const bad of batch.invalid) this.options.logger.error('outbox entry skipped', bad);
    if (batch.messages.length > 0) {
      await this.producer.send({
        topic: this.options.topic,
        acks: -1,
        timeout: Math.max(1_000, Math.floor(this.options.leaseMs / 3)),
        messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
      });
    }
    const acked = (await redis.eval(
      ACK_OUTBOX,
      2,
      keys.relayLease,
      keys.outbox,
      this.owner,
      ...batch.ids,
    )) as number;
    if (acked === -1) {
      // Lost the lease during the send: the next leader republishes these; order is preserved.
      this.setLeader(false);
      return true;
    }
    metrics.outboxPublished.inc(batch.messages.length);
    this.lastId = batch.ids[batch.ids.length - 1] ?? this.lastId;
    return true;
  }

  /** Blocks until an entry newer than the last relayed one arrives, or a short timeout. */
  private async waitForEntries(): Promise<void> {
    const block = Math.min(500, Math.floor(this.options.leaseMs / 3));
    await this.options.redis.xread(
      'COUNT',
      1,
      'BLOCK',
      block,
      'STREAMS',
      this.options.keys.outbox,
      this.lastId,
    );
  }
}
