import type { DeviceRecord, NormalizedReading, Rejection } from '@terrapulse/contracts';

/** The instant the reading and rejection fixtures happen at, unless overridden. */
export const T0 = Date.parse('2025-06-01T10:00:00Z');

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

/** A valid reading of the water meter above, received 100 ms after it was measured at T0. */
export function reading(overrides: Partial<NormalizedReading> = {}): NormalizedReading {
  return {
    deviceId: 'wm-0001',
    tenant: 'commune-a',
    site: 'school-1',
    domain: 'water',
    metric: 'water.volume_index',
    kind: 'cumulative_index',
    unit: 'm3',
    value: 12.5,
    ts: T0,
    receivedAt: T0 + 100,
    dims: {},
    ...overrides,
  };
}

/** A dead letter of the water meter above, received at T0. */
export function rejection(overrides: Partial<Rejection> = {}): Rejection {
  return {
    reason: 'DEVICE_SUSPENDED',
    detail: 'suspended',
    topic: 'terrapulse/v1/devices/wm-0001/up/json',
    deviceIdHint: 'wm-0001',
    receivedAt: T0,
    rawBase64: '',
    source: { partition: 0, offset: '1' },
    ...overrides,
  };
}
