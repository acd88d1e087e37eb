import { readLocalEnvironment } from '@terrapulse/infra-runner';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisDeviceHealthStore } from '../src/adapters/redis/device-health-store.js';
import { summarizeReadings, summarizeRejections } from '../src/domain/device-health-batch.js';
import { reading, rejection, waterMeter } from './record-fixtures.js';
import { uniqueName } from './registry-harness.js';

const NOW = Date.parse('2025-06-01T10:30:00Z');

describe('RedisDeviceHealthStore against real Redis', () => {
  const redis = new Redis(readLocalEnvironment().REDIS_URL ?? '');
  const prefix = `tp:test:${uniqueName('health')}:`;
  const store = new RedisDeviceHealthStore(redis, { prefix, silenceFactor: 3, now: () => NOW });
  const device = waterMeter({ state: 'active', expectedIntervalS: 60 });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('should count each uplink once even when a batch is replayed, and keep the newest readings first', async () => {
    const batch = Array.from({ length: 25 }, (_, i) =>
      reading({ receivedAt: NOW - (25 - i) * 60_000, value: i }),
    );
    expect((await store.recordReadings(summarizeReadings(batch))).get('wm-0001')).toBe(25);
    // A crash before the offset commit replays the batch: nothing more is counted or listed.
    expect((await store.recordReadings(summarizeReadings(batch))).get('wm-0001')).toBe(0);

    const health = await store.get(device);
    // 25 uplinks one minute apart, the oldest 25 minutes ago: all inside the last hour.
    expect(health).toMatchObject({
      lastSeenAt: new Date(NOW - 60_000).toISOString(),
      readingsLastHour: 25,
      expectedPerHour: 60,
      rejectedCount: 0,
      lastRejection: null,
    });
    const recent = await store.recentReadings('wm-0001', 100);
    expect(recent.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => 24 - i));
    expect(await store.recentReadings('wm-0001', 3)).toHaveLength(3);
    expect(await store.lastSeen(['wm-0001', 'nobody'])).toEqual([NOW - 60_000, undefined]);
  });

  it('should forget minutes older than an hour as the 60-slot ring turns', async () => {
    const id = 'wm-0002';
    const old = reading({ receivedAt: NOW - 90 * 60_000, value: 1, deviceId: id });
    const fresh = reading({ receivedAt: NOW - 30 * 60_000, value: 2, deviceId: id });
    await store.recordReadings(summarizeReadings([old, fresh]));
    // Minute NOW-90 and NOW-30 share a slot: the later one replaced the older count.
    expect((await store.get({ ...device, deviceId: id })).readingsLastHour).toBe(1);
    const snapshot = await store.snapshot(id);
    expect(snapshot.firstSeenAt).toBe(NOW - 90 * 60_000);
  });

  it('should count rejections once each and keep the latest reason', async () => {
    const first = [
      rejection({ receivedAt: NOW - 2_000, reason: 'UNKNOWN_DEVICE' }),
      rejection({ receivedAt: NOW - 1_000, reason: 'DEVICE_SUSPENDED' }),
    ];
    await store.recordRejections(summarizeRejections(first));
    await store.recordRejections(summarizeRejections(first));
    await store.recordRejections(
      summarizeRejections([
        rejection({ receivedAt: NOW - 500, reason: 'UNIT_INVALID', detail: 'unit not in catalogue' }),
      ]),
    );
    const health = await store.get(device);
    expect(health.rejectedCount).toBe(3);
    expect(health.lastRejection).toEqual({
      reason: 'UNIT_INVALID',
      detail: 'unit not in catalogue',
      at: new Date(NOW - 500).toISOString(),
    });
  });
});
