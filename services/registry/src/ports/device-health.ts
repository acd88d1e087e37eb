import type { DeviceRecord } from '@terrapulse/contracts';
import type { DeviceHealth } from '../http/schemas/device-health.js';

/** What the health tracker knows about a device (A2 implements it over Redis). */
export interface DeviceHealthSource {
  get(device: DeviceRecord): Promise<DeviceHealth>;
}

/** Before anything was seen, or when no tracker runs: nothing known, nothing expected yet. */
export const unknownHealthSource: DeviceHealthSource = {
  async get(device) {
    return {
      lastSeenAt: null,
      readingsLastHour: 0,
      expectedPerHour: 3_600 / device.expectedIntervalS,
      rateRatio: null,
      rejectedCount: 0,
      lastRejection: null,
      silentSince: null,
    };
  },
};
