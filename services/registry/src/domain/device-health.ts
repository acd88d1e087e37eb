import { type DeviceRecord, MetricId, NormalizedDims, type RejectionReason } from '@terrapulse/contracts';
import { z } from 'zod';
import type { DeviceHealth } from '../http/schemas/device-health.js';
import { silenceThresholdMs } from './silence.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Readings kept per device for the API and the console. */
export const RECENT_READINGS_KEPT = 20;

/** One of the last readings of a device, as GET /devices/:id/readings lists them. */
export const RecentReading = z.object({
  ts: z.iso.datetime().describe('Measurement time'),
  metric: MetricId,
  value: z.number(),
  unit: z.string(),
  dims: NormalizedDims.optional(),
});
export type RecentReading = z.infer<typeof RecentReading>;

/** What the health store keeps per device; times are epoch ms. */
export interface HealthSnapshot {
  readonly firstSeenAt?: number;
  readonly lastSeenAt?: number;
  /** Uplinks per receive minute (epoch minute number). Older minutes may linger; they are ignored. */
  readonly minuteCounts: ReadonlyMap<number, number>;
  readonly rejectedCount: number;
  readonly lastRejection?: { readonly reason: RejectionReason; readonly detail: string; readonly at: number };
}

export const EMPTY_HEALTH_SNAPSHOT: HealthSnapshot = Object.freeze({
  minuteCounts: new Map<number, number>(),
  rejectedCount: 0,
});

/** The minute bucket an uplink received at `ms` is counted in. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

/** Uplinks counted in the 60 minute buckets that end with the current one. */
export function uplinksInLastHour(minuteCounts: ReadonlyMap<number, number>, nowMs: number): number {
  const current = minuteOf(nowMs);
  let total = 0;
  for (const [minute, count] of minuteCounts) {
    if (minute > current - 60 && minute <= current) total += count;
  }
  return total;
}

/** Uplinks per hour a device reporting every `expectedIntervalS` sends. */
export function expectedPerHour(expectedIntervalS: number): number {
  return round3(3600 / expectedIntervalS);
}

/**
 * Received / expected over the last hour. A device first seen less than an hour ago is judged on
 * the time since its first uplink (plus one interval, so its first uplink alone counts as on time):
 * otherwise every new device would look like it reports at a fraction of its rate for an hour.
 */
export function rateRatio(
  received: number,
  expectedIntervalS: number,
  firstSeenAt: number | undefined,
  nowMs: number,
): number | null {
  if (firstSeenAt === undefined) return null;
  const windowMs = Math.min(HOUR_MS, Math.max(0, nowMs - firstSeenAt) + expectedIntervalS * 1000);
  const expected = windowMs / (expectedIntervalS * 1000);
  return round3(received / expected);
}

/** The API's view of a device's health, from what the store keeps and the device's record. */
export function computeDeviceHealth(
  device: Pick<DeviceRecord, 'state' | 'expectedIntervalS' | 'updatedAt'>,
  snapshot: HealthSnapshot,
  nowMs: number,
  silenceFactor: number,
): DeviceHealth {
  const received = uplinksInLastHour(snapshot.minuteCounts, nowMs);
  const last = snapshot.lastRejection;
  let silentSince: string | null = null;
  if (device.state === 'silent') {
    silentSince =
      snapshot.lastSeenAt === undefined
        ? device.updatedAt
        : iso(snapshot.lastSeenAt + silenceThresholdMs(device.expectedIntervalS, silenceFactor));
  }
  return {
    lastSeenAt: snapshot.lastSeenAt === undefined ? null : iso(snapshot.lastSeenAt),
    readingsLastHour: received,
    expectedPerHour: expectedPerHour(device.expectedIntervalS),
    rateRatio: rateRatio(received, device.expectedIntervalS, snapshot.firstSeenAt, nowMs),
    rejectedCount: snapshot.rejectedCount,
    lastRejection: last === undefined ? null : { reason: last.reason, detail: last.detail, at: iso(last.at) },
    silentSince,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
