import type { DeviceRecord, RejectionReason } from '@terrapulse/contracts';
import type { Redis } from 'ioredis';
import {
  computeDeviceHealth,
  type HealthSnapshot,
  RECENT_READINGS_KEPT,
  RecentReading,
} from '../../domain/device-health.js';
import type { DeviceReadingsUpdate, DeviceRejectionsUpdate } from '../../domain/device-health-batch.js';
import type { DeviceHealth } from '../../http/schemas/device-health.js';
import type { DeviceHealthSource } from '../../ports/device-health.js';

/** Health of a device nobody hears from any more fades away; a reading or rejection renews it. */
const HEALTH_TTL_S = 30 * 86_400;

/**
 * KEYS: health hash, minute ring, recent list. ARGV: ttl s, JSON {u: uplink times asc, r: [[t, json]]}.
 * Counts only uplinks newer than the stored lastSeenAt, so a Kafka replay after a crash counts
 * nothing twice. Minutes live in a 60-slot ring ("minute:count" per slot), so the hash stays small
 * whatever the rate. Returns the number of uplinks counted.
 */
const RECORD_READINGS = `
local ttl = tonumber(ARGV[1])
local u = cjson.decode(ARGV[2])
local previous = tonumber(redis.call('HGET', KEYS[1], 'lastSeenAt') or '-1')
local last = previous
local counted = 0
for _, t in ipairs(u.u) do
  if t > previous then
    local minute = math.floor(t / 60000)
    local slot = minute % 60
    local n = 1
    local cur = redis.call('HGET', KEYS[2], slot)
    if cur then
      local m, c = string.match(cur, '^(%d+):(%d+)$')
      if tonumber(m) == minute then n = tonumber(c) + 1 end
    end
    redis.call('HSET', KEYS[2], slot, string.format('%d:%d', minute, n))
    if counted == 0 then redis.call('HSETNX', KEYS[1], 'firstSeenAt', string.format('%d', t)) end
    if t > last then last = t end
    counted = counted + 1
  end
end
if counted > 0 then redis.call('HSET', KEYS[1], 'lastSeenAt', string.format('%d', last)) end
for _, r in ipairs(u.r) do
  if r[1] > previous then redis.call('LPUSH', KEYS[3], r[2]) end
end
redis.call('LTRIM', KEYS[3], 0, ${RECENT_READINGS_KEPT - 1})
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('EXPIRE', KEYS[3], ttl)
return counted
`;

/**
 * KEYS: health hash. ARGV: ttl s, JSON [[at, lastRejectionJson], ...] ascending.
 * Like readings, only rejections newer than the last one recorded count (replay-safe).
 */
const RECORD_REJECTIONS = `
local ttl = tonumber(ARGV[1])
local list = cjson.decode(ARGV[2])
local previous = tonumber(redis.call('HGET', KEYS[1], 'lastRejectionAt') or '-1')
local n = 0
local latest = nil
for _, r in ipairs(list) do
  if r[1] > previous then
    n = n + 1
    latest = r
  end
end
if n > 0 then
  redis.call('HINCRBY', KEYS[1], 'rejectedCount', n)
  redis.call('HSET', KEYS[1], 'lastRejectionAt', string.format('%d', latest[1]), 'lastRejection', latest[2])
end
redis.call('EXPIRE', KEYS[1], ttl)
return n
`;

interface StoredRejection {
  readonly reason: RejectionReason;
  readonly detail: string;
  readonly at: number;
}

export interface RedisDeviceHealthStoreOptions {
  /** The registry's key prefix (REGISTRY_KEY_PREFIX). */
  readonly prefix: string;
  /** REGISTRY_SILENCE_FACTOR, for silentSince. */
  readonly silenceFactor: number;
  readonly now?: () => number;
}

/**
 * Per-device health in Redis, written by the health tracker (Kafka consumer) and read by the API,
 * the console and the silence sweeper. Keys: `<prefix>health:<id>` (hash: firstSeenAt, lastSeenAt,
 * rejectedCount, lastRejectionAt, lastRejection), `…:minutes` (uplinks per minute, 60-slot ring),
 * `…:recent` (last readings, newest first). Another tenant's device never reaches it: callers
 * check visibility on the device record first.
 */
export class RedisDeviceHealthStore implements DeviceHealthSource {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDeviceHealthStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private key(deviceId: string, part?: 'minutes' | 'recent'): string {
    return `${this.options.prefix}health:${deviceId}${part === undefined ? '' : `:${part}`}`;
  }

  /** Stores what a batch of readings says about each device; returns the uplinks counted per device. */
  async recordReadings(updates: ReadonlyMap<string, DeviceReadingsUpdate>): Promise<Map<string, number>> {
    const counted = new Map<string, number>();
    await Promise.all(
      [...updates].map(async ([deviceId, update]) => {
        const body = JSON.stringify({
          u: update.uplinks,
          r: update.recent.map((r) => [r.receivedAt, JSON.stringify(r.reading)]),
        });
        const n = (await this.redis.eval(
          RECORD_READINGS,
          3,
          this.key(deviceId),
          this.key(deviceId, 'minutes'),
          this.key(deviceId, 'recent'),
          HEALTH_TTL_S,
          body,
        )) as number;
        counted.set(deviceId, n);
      }),
    );
    return counted;
  }

  async recordRejections(updates: ReadonlyMap<string, DeviceRejectionsUpdate>): Promise<void> {
    await Promise.all(
      [...updates].map(([deviceId, update]) => {
        const body = JSON.stringify(
          update.rejections.map((r) => [
            r.at,
            JSON.stringify({ reason: r.reason, detail: r.detail, at: r.at }),
          ]),
        );
        return this.redis.eval(RECORD_REJECTIONS, 1, this.key(deviceId), HEALTH_TTL_S, body);
      }),
    );
  }

  async snapshot(deviceId: string): Promise<HealthSnapshot> {
    const [main, minutes] = await Promise.all([
      this.redis.hgetall(this.key(deviceId)),
      this.redis.hgetall(this.key(deviceId, 'minutes')),
    ]);
    const minuteCounts = new Map<number, number>();
    for (const value of Object.values(minutes)) {
      const [minute, count] = value.split(':').map(Number);
      if (minute !== undefined && count !== undefined) minuteCounts.set(minute, count);
    }
    const lastRejection = main.lastRejection
      ? (JSON.parse(main.lastRejection) as StoredRejection)
      : undefined;
    return {
      ...(main.firstSeenAt !== undefined && { firstSeenAt: Number(main.firstSeenAt) }),
      ...(main.lastSeenAt !== undefined && { lastSeenAt: Number(main.lastSeenAt) }),
      minuteCounts,
      rejectedCount: Number(main.rejectedCount ?? 0),
      ...(lastRejection !== undefined && { lastRejection }),
    };
  }

  async get(device: DeviceRecord): Promise<DeviceHealth> {
    const snapshot = await this.snapshot(device.deviceId);
    return computeDeviceHealth(device, snapshot, this.now(), this.options.silenceFactor);
  }

  /** lastSeenAt (epoch ms) of each device, undefined when none was recorded. */
  async lastSeen(deviceIds: readonly string[]): Promise<Array<number | undefined>> {
    if (deviceIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of deviceIds) pipeline.hget(this.key(id), 'lastSeenAt');
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return typeof value === 'string' ? Number(value) : undefined;
    });
  }

  /** The device's last readings, newest first. */
  async recentReadings(deviceId: string, limit: number): Promise<RecentReading[]> {
    const raw = await this.redis.lrange(this.key(deviceId, 'recent'), 0, Math.max(0, limit - 1));
    return raw.flatMap((text) => {
      const parsed = RecentReading.safeParse(JSON.parse(text));
      return parsed.success ? [parsed.data] : [];
    });
  }
}
