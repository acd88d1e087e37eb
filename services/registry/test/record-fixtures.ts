import type { DeviceRecord } from '@terrapulse/contracts';

/** A valid water meter record; override what a test is about. */
export function waterMeter(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    deviceId: 'wm-0001',
    tenant: 'commune-a',
    site: 'school-1',
    domain: 'water',
    kind: 'water_meter',
    model: 'Acme WM-1',
    metrics: ['water.volume_index'],
    expectedIntervalS: 900,
    installedAt: '2024-03-01',
    state: 'registered',
    stateReason: 'registered',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
