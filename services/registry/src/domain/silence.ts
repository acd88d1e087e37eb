import type { DeviceRecord } from '@terrapulse/contracts';

/** How long a device may stay quiet before it counts as silent: its interval times the factor. */
export function silenceThresholdMs(expectedIntervalS: number, factor: number): number {
  return expectedIntervalS * factor * 1000;
}

/**
 * The moment the silence rule fires for a device: its last reading plus the threshold. A device
 * activated without a recorded reading (health data expired) counts from its last state change.
 */
export function silenceDeadline(
  device: Pick<DeviceRecord, 'expectedIntervalS' | 'updatedAt'>,
  lastSeenAtMs: number | undefined,
  factor: number,
): number {
  const since = lastSeenAtMs ?? Date.parse(device.updatedAt);
  return since + silenceThresholdMs(device.expectedIntervalS, factor);
}

/** Whether an active device has gone silent: now - lastSeenAt > expectedIntervalS * factor. */
export function isSilent(
  device: Pick<DeviceRecord, 'state' | 'expectedIntervalS' | 'updatedAt'>,
  lastSeenAtMs: number | undefined,
  nowMs: number,
  factor: number,
): boolean {
  return device.state === 'active' && nowMs > silenceDeadline(device, lastSeenAtMs, factor);
}

/** States a valid reading moves to "active": the first reading after provisioning, or after silence. */
export function needsActivation(state: DeviceRecord['state']): boolean {
  return state === 'provisioned' || state === 'silent';
}
