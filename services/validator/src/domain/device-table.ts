import {
  DeviceRecord,
  type MetricId,
  parseJsonPayload,
  type RejectionIssue,
  type RejectionReason,
  rejectionForDeviceState,
  rejectionIssues,
} from '@terrapulse/contracts';

/** A registry record prepared for the hot path: the declared metrics as a set, the state's verdict once. */
export interface KnownDevice {
  readonly record: DeviceRecord;
  readonly declared: ReadonlySet<MetricId>;
  /** Why readings of this device are refused in its current state; undefined = accepted. */
  readonly stateRejection: RejectionReason | undefined;
}

export type DeviceLookup = (deviceId: string) => KnownDevice | undefined;

export type RegistryChange =
  | { readonly kind: 'upsert'; readonly deviceId: string; readonly device: KnownDevice }
  | { readonly kind: 'delete'; readonly deviceId: string }
  | {
      readonly kind: 'invalid';
      readonly deviceId: string | undefined;
      readonly detail: string;
      readonly issues?: readonly RejectionIssue[];
    };

export function knownDevice(record: DeviceRecord): KnownDevice {
  return {
    record,
    declared: new Set(record.metrics),
    stateRejection: rejectionForDeviceState(record.state),
  };
}

/**
 * Reads one record of the compacted registry topic: key = deviceId, value = DeviceRecord JSON,
 * null value = the device was deleted. Never throws: a bad record is an `invalid` change.
 */
export function parseRegistryRecord(key: string | undefined, value: Uint8Array | null): RegistryChange {
  if (value === null) {
    return key === undefined
      ? { kind: 'invalid', deviceId: undefined, detail: 'tombstone without a key' }
      : { kind: 'delete', deviceId: key };
  }
  const json = parseJsonPayload(value, { maxBytes: Number.MAX_SAFE_INTEGER });
  if (!json.ok) return { kind: 'invalid', deviceId: key, detail: json.reason };
  const parsed = DeviceRecord.safeParse(json.value);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      deviceId: key,
      detail: 'value is not a valid DeviceRecord',
      issues: rejectionIssues(parsed.error),
    };
  }
  const record = parsed.data;
  if (key !== undefined && key !== record.deviceId) {
    return {
      kind: 'invalid',
      deviceId: key,
      detail: `record of ${record.deviceId} published under key ${key}`,
    };
  }
  return { kind: 'upsert', deviceId: record.deviceId, device: knownDevice(record) };
}

/**
 * The in-memory registry every validator instance holds. An invalid record leaves the previous
 * entry in place: it says nothing trustworthy about the device, and dropping a good entry because
 * of a registry bug would refuse a whole device's traffic.
 */
export class DeviceTable {
  private readonly devices = new Map<string, KnownDevice>();

  readonly lookup: DeviceLookup = (deviceId) => this.devices.get(deviceId);

  apply(change: RegistryChange): void {
    if (change.kind === 'upsert') this.devices.set(change.deviceId, change.device);
    else if (change.kind === 'delete') this.devices.delete(change.deviceId);
  }

  get size(): number {
    return this.devices.size;
  }

  /** Every known device, for readers that need the whole fleet (the indicators' fleet snapshot). */
  values(): IterableIterator<KnownDevice> {
    return this.devices.values();
  }
}
