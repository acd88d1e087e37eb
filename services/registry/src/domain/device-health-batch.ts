import type { NormalizedReading, Rejection, RejectionReason } from '@terrapulse/contracts';
import { RECENT_READINGS_KEPT, type RecentReading } from './device-health.js';

/** What one Kafka batch changes in one device's health. */
export interface DeviceReadingsUpdate {
  /** Receive times of the device's uplinks in the batch, ascending, each once. */
  readonly uplinks: readonly number[];
  /** Its last readings, oldest first, at most RECENT_READINGS_KEPT, each with its uplink's time. */
  readonly recent: ReadonlyArray<{ readonly receivedAt: number; readonly reading: RecentReading }>;
}

export interface DeviceRejectionsUpdate {
  /** Receive times and reasons of the device's rejected messages in the batch, ascending. */
  readonly rejections: ReadonlyArray<{
    readonly at: number;
    readonly reason: RejectionReason;
    readonly detail: string;
  }>;
}

/**
 * Groups a batch of readings by device. Readings of one uplink share the bridge's receive time
 * (the validator copies it into each), so distinct receive times count uplinks: the rate is
 * compared with the expected interval, which is an interval between uplinks, not between metrics.
 */
export function summarizeReadings(readings: readonly NormalizedReading[]): Map<string, DeviceReadingsUpdate> {
  const byDevice = new Map<
    string,
    { uplinks: Set<number>; recent: DeviceReadingsUpdate['recent'][number][] }
  >();
  for (const r of readings) {
    let entry = byDevice.get(r.deviceId);
    if (entry === undefined) {
      entry = { uplinks: new Set(), recent: [] };
      byDevice.set(r.deviceId, entry);
    }
    entry.uplinks.add(r.receivedAt);
    entry.recent.push({ receivedAt: r.receivedAt, reading: toRecentReading(r) });
    // Only the newest survive in the store; dropping early keeps a big batch's memory bounded.
    if (entry.recent.length > 2 * RECENT_READINGS_KEPT) entry.recent.splice(0, RECENT_READINGS_KEPT);
  }
  const out = new Map<string, DeviceReadingsUpdate>();
  for (const [deviceId, entry] of byDevice) {
    out.set(deviceId, {
      uplinks: [...entry.uplinks].sort((a, b) => a - b),
      recent: entry.recent.slice(-RECENT_READINGS_KEPT),
    });
  }
  return out;
}

/** Groups dead letters by the device of their topic; those without one cannot be attributed. */
export function summarizeRejections(rejections: readonly Rejection[]): Map<string, DeviceRejectionsUpdate> {
  const out = new Map<string, DeviceRejectionsUpdate['rejections'][number][]>();
  for (const r of rejections) {
    if (r.deviceIdHint === undefined) continue;
    let list = out.get(r.deviceIdHint);
    if (list === undefined) {
      list = [];
      out.set(r.deviceIdHint, list);
    }
    list.push({ at: r.receivedAt, reason: r.reason, detail: r.detail.slice(0, 500) });
  }
  return new Map(
    [...out].map(([deviceId, list]) => [deviceId, { rejections: list.sort((a, b) => a.at - b.at) }] as const),
  );
}

function toRecentReading(r: NormalizedReading): RecentReading {
  return {
    ts: new Date(r.ts).toISOString(),
    metric: r.metric,
    value: r.value,
    unit: r.unit,
    ...(Object.keys(r.dims).length > 0 && { dims: r.dims }),
  };
}
