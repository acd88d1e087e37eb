import type { DeviceRecord } from '@terrapulse/contracts';
import type { SimDevice } from '../domain/types.js';
import type { RegistrySink } from '../ports/registry-sink.js';

/** The records the registry knows: every device except the deliberately unknown ones. */
export function registryRecords(devices: readonly SimDevice[]): DeviceRecord[] {
  return devices.filter((d) => d.registered).map((d) => d.record);
}

/**
 * Seeds the registry topic with the fleet, as the registry service will once it exists; until then
 * this is where the validator learns the devices. Returns the number of records published.
 */
export async function publishRegistry(devices: readonly SimDevice[], sink: RegistrySink): Promise<number> {
  const records = registryRecords(devices);
  await sink.publish(records);
  return records.length;
}
