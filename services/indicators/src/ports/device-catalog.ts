import type { DeviceRecord } from '@terrapulse/contracts';

/** What the registry says about devices: floor area, meter role, lifecycle state. */
export interface DeviceCatalog {
  lookup(deviceId: string): DeviceRecord | undefined;
  all(): Iterable<DeviceRecord>;
}

/** A catalogue over a fixed list of records (tests, a registry snapshot). */
export function staticCatalog(records: Iterable<DeviceRecord>): DeviceCatalog {
  const byId = new Map<string, DeviceRecord>();
  for (const r of records) byId.set(r.deviceId, r);
  return { lookup: (id) => byId.get(id), all: () => byId.values() };
}
