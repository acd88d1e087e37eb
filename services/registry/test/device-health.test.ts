import { describe, expect, it } from 'vitest';
import {
  computeDeviceHealth,
  EMPTY_HEALTH_SNAPSHOT,
  expectedPerHour,
  minuteOf,
  RECENT_READINGS_KEPT,
  rateRatio,
  uplinksInLastHour,
} from '../src/domain/device-health.js';
import { summarizeReadings, summarizeRejections } from '../src/domain/device-health-batch.js';
import { reading, rejection, T0, waterMeter } from './record-fixtures.js';

const MIN = 60_000;

describe('device health maths', () => {
  it('should count only the 60 minute buckets ending with the current minute', () => {
    const now = T0 + 30 * 1000;
    const counts = new Map([
      [minuteOf(now), 2],
      [minuteOf(now) - 59, 3],
      [minuteOf(now) - 60, 100],
      [minuteOf(now) + 1, 100],
    ]);
    expect(uplinksInLastHour(counts, now)).toBe(5);
  });

  it('should expect 3600 / interval uplinks per hour', () => {
    expect(expectedPerHour(900)).toBe(4);
    expect(expectedPerHour(7)).toBe(514.286);
  });

  it('should judge a device seen for less than an hour on the time since its first uplink', () => {
    expect(rateRatio(0, 60, undefined, T0)).toBeNull();
    // First uplink just now: one uplink over one interval is on time.
    expect(rateRatio(1, 60, T0, T0)).toBe(1);
    // Ten minutes after the first uplink at one per minute: 11 expected.
    expect(rateRatio(11, 60, T0, T0 + 10 * MIN)).toBe(1);
    expect(rateRatio(30, 60, T0 - 5 * 60 * MIN, T0)).toBe(0.5);
  });

  it('should compute the API health of a device from its snapshot', () => {
    const device = waterMeter({ state: 'active', expectedIntervalS: 60 });
    const now = T0 + 10 * MIN;
    const health = computeDeviceHealth(
      device,
      {
        firstSeenAt: T0 - 2 * 60 * MIN,
        lastSeenAt: now - 5_000,
        minuteCounts: new Map([[minuteOf(now), 30]]),
        rejectedCount: 2,
        lastRejection: { reason: 'UNIT_INVALID', detail: 'bad unit', at: T0 },
      },
      now,
      3,
    );
    expect(health).toEqual({
      lastSeenAt: new Date(now - 5_000).toISOString(),
      readingsLastHour: 30,
      expectedPerHour: 60,
      rateRatio: 0.5,
      rejectedCount: 2,
      lastRejection: { reason: 'UNIT_INVALID', detail: 'bad unit', at: new Date(T0).toISOString() },
      silentSince: null,
    });
  });

  it('should date the silence of a silent device from its last uplink plus the threshold', () => {
    const device = waterMeter({ state: 'silent', expectedIntervalS: 60 });
    const health = computeDeviceHealth(
      device,
      { ...EMPTY_HEALTH_SNAPSHOT, firstSeenAt: T0, lastSeenAt: T0 },
      T0 + 10 * MIN,
      3,
    );
    expect(health.silentSince).toBe(new Date(T0 + 3 * MIN).toISOString());
    const never = computeDeviceHealth(device, EMPTY_HEALTH_SNAPSHOT, T0, 3);
    expect(never).toMatchObject({ lastSeenAt: null, rateRatio: null, silentSince: device.updatedAt });
  });
});

describe('summarizeReadings', () => {
  it('should count one uplink per receive time and keep the newest readings', () => {
    const batch = [
      reading({ receivedAt: T0 + 1, metric: 'water.volume_index' }),
      reading({ receivedAt: T0 + 1, metric: 'water.flow', kind: 'instantaneous', unit: 'm3/h', value: 3 }),
      reading({ deviceId: 'wm-0002', receivedAt: T0 + 5 }),
      reading({ receivedAt: T0 + 2, ts: T0 + 60_000 }),
    ];
    const summary = summarizeReadings(batch);
    expect(summary.get('wm-0001')?.uplinks).toEqual([T0 + 1, T0 + 2]);
    expect(summary.get('wm-0002')?.uplinks).toEqual([T0 + 5]);
    expect(summary.get('wm-0001')?.recent.map((r) => r.reading)).toEqual([
      { ts: new Date(T0).toISOString(), metric: 'water.volume_index', value: 12.5, unit: 'm3' },
      { ts: new Date(T0).toISOString(), metric: 'water.flow', value: 3, unit: 'm3/h' },
      { ts: new Date(T0 + 60_000).toISOString(), metric: 'water.volume_index', value: 12.5, unit: 'm3' },
    ]);
  });

  it(`should keep at most ${RECENT_READINGS_KEPT} readings per device, the newest`, () => {
    const batch = Array.from({ length: 95 }, (_, i) => reading({ receivedAt: T0 + i, value: i }));
    const recent = summarizeReadings(batch).get('wm-0001')?.recent ?? [];
    expect(recent.map((r) => r.reading.value)).toEqual(Array.from({ length: 20 }, (_, i) => 75 + i));
  });

  it('should keep dimensions when a reading has some', () => {
    const r = reading({
      metric: 'mobility.vehicle_count',
      domain: 'mobility',
      kind: 'count_per_interval',
      unit: 'count',
      dims: { vehicleClass: 'truck' },
    });
    expect(summarizeReadings([r]).get('wm-0001')?.recent[0]?.reading.dims).toEqual({ vehicleClass: 'truck' });
  });
});

describe('summarizeRejections', () => {
  it('should group rejections by the device of their topic, in receive order, ignoring unattributed ones', () => {
    const { deviceIdHint: _hint, ...anonymous } = rejection();
    const summary = summarizeRejections([
      rejection({ receivedAt: T0 + 2, reason: 'UNKNOWN_DEVICE' }),
      rejection({ receivedAt: T0 + 1 }),
      anonymous,
    ]);
    expect([...summary.keys()]).toEqual(['wm-0001']);
    expect(summary.get('wm-0001')?.rejections.map((r) => [r.at, r.reason])).toEqual([
      [T0 + 1, 'DEVICE_SUSPENDED'],
      [T0 + 2, 'UNKNOWN_DEVICE'],
    ]);
  });
});
