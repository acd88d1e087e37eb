import type { Aggregate, NormalizedReading, Rejection } from '@terrapulse/contracts';

export function reading(overrides: Partial<NormalizedReading> = {}): NormalizedReading {
  return {
    deviceId: 'wm-0042',
    tenant: 'lyon',
    site: 'ecole-jaures',
    domain: 'water',
    metric: 'water.flow',
    kind: 'instantaneous',
    unit: 'm3/h',
    value: 0.4,
    ts: Date.UTC(2026, 2, 1, 10, 15),
    receivedAt: Date.UTC(2026, 2, 1, 10, 15, 1),
    dims: {},
    ...overrides,
  };
}

export function aggregate(overrides: Partial<Aggregate> = {}): Aggregate {
  const windowStart = Date.UTC(2026, 2, 1, 10, 0);
  return {
    deviceId: 'em-0007',
    tenant: 'lyon',
    site: 'mairie',
    domain: 'energy',
    metric: 'energy.active_energy_index',
    kind: 'cumulative_index',
    unit: 'kWh',
    dims: {},
    window: '1h',
    windowStart,
    windowEnd: windowStart + 3_600_000,
    count: 4,
    sum: 4010,
    min: 1000,
    max: 1006,
    mean: 1002.5,
    last: 1006,
    lastTs: windowStart + 2_700_000,
    consumption: 7.5,
    timezone: 'Europe/Paris',
    computedAt: windowStart + 3_600_500,
    ...overrides,
  };
}

export function rejection(overrides: Partial<Rejection> = {}): Rejection {
  return {
    reason: 'VALUE_OUT_OF_RANGE',
    detail: 'water.flow 9999 m3/h is above 500',
    issues: [{ path: 'readings.0.value', message: 'too large' }],
    topic: 'terrapulse/v1/devices/wm-0042/up/json',
    deviceIdHint: 'wm-0042',
    receivedAt: Date.UTC(2026, 2, 1, 10, 15, 1),
    rawBase64: Buffer.from('{}').toString('base64'),
    source: { partition: 2, offset: '1234' },
    ...overrides,
  };
}
