import type { DeviceRecord, DeviceState } from '@terrapulse/contracts';

/** fleet_devices: devices of a tenant in one lifecycle state. */
export interface FleetCount {
  readonly tenant: string;
  readonly state: DeviceState;
  readonly count: number;
}

/** device_status: one device at the snapshot. */
export interface DeviceStatus {
  readonly tenant: string;
  readonly site: string;
  readonly domain: string;
  readonly device: string;
  readonly state: DeviceState;
  /** 1 when the registry says silent, or when a device expected to report has not for too long. */
  readonly silent: 0 | 1;
  /** Seconds since its last stored reading; -1 when none was seen in the look-back. */
  readonly lastSeenAgeS: number;
}

export function fleetCounts(records: Iterable<DeviceRecord>): FleetCount[] {
  const counts = new Map<string, FleetCount>();
  for (const r of records) {
    const key = `${r.tenant}\u0000${r.state}`;
    const count = counts.get(key)?.count ?? 0;
    counts.set(key, { tenant: r.tenant, state: r.state, count: count + 1 });
  }
  return [...counts.values()];
}

/**
 * A device is silent when the registry marked it so, or when it should report (active, or
 * provisioned and already heard from) and its last reading is older than its expected interval
 * times `silenceFactor`; an active device with no reading in the look-back is silent too. Same
 * rule as the registry's sweeper, so the dashboard is right between two sweeps, or in a run whose
 * registry comes from the seed file and never moves devices to active. A provisioned device that
 * never spoke is waiting for installation, not silent; suspended and decommissioned devices are
 * expected to be quiet.
 */
export function deviceStatus(
  record: DeviceRecord,
  lastSeenAt: number | undefined,
  now: number,
  silenceFactor: number,
): DeviceStatus {
  const ageS = lastSeenAt === undefined ? -1 : Math.max(0, (now - lastSeenAt) / 1000);
  const overdue = ageS > record.expectedIntervalS * silenceFactor;
  const silent =
    record.state === 'silent' ||
    (record.state === 'active' && (ageS < 0 || overdue)) ||
    (record.state === 'provisioned' && overdue);
  return {
    tenant: record.tenant,
    site: record.site,
    domain: record.domain,
    device: record.deviceId,
    state: record.state,
    silent: silent ? 1 : 0,
    lastSeenAgeS: ageS,
  };
}
