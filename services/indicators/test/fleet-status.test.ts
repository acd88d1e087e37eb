import type { DeviceRecord } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { deviceStatus, deviceStatusPoint, fleetCounts, measurementNames, toLine } from '../src/index.js';

const base: DeviceRecord = {
  deviceId: 'wm-1',
  tenant: 'sev',
  site: 'nord',
  domain: 'water',
  kind: 'water_meter',
  model: 'm',
  metrics: ['water.volume_index'],
  expectedIntervalS: 900,
  installedAt: '2024-01-01',
  state: 'active',
  updatedAt: '2025-01-01T00:00:00Z',
};
const now = Date.parse('2025-01-15T12:00:00Z');

describe('fleet status', () => {
  it('should count devices per tenant and state', () => {
    const records = [
      base,
      { ...base, deviceId: 'b' },
      { ...base, deviceId: 'c', state: 'suspended' as const },
    ];
    expect(fleetCounts(records)).toEqual([
      { tenant: 'sev', state: 'active', count: 2 },
      { tenant: 'sev', state: 'suspended', count: 1 },
    ]);
  });

  it('should call silent an active device quiet for more than its interval times the factor', () => {
    expect(deviceStatus(base, now - 2000 * 1000, now, 3)).toMatchObject({ silent: 0, lastSeenAgeS: 2000 });
    expect(deviceStatus(base, now - 2701 * 1000, now, 3)).toMatchObject({ silent: 1, lastSeenAgeS: 2701 });
    expect(deviceStatus(base, undefined, now, 3)).toMatchObject({ silent: 1, lastSeenAgeS: -1 });
  });

  it('should not call silent a provisioned device never heard of, nor a suspended one', () => {
    expect(deviceStatus({ ...base, state: 'provisioned' }, undefined, now, 3).silent).toBe(0);
    expect(deviceStatus({ ...base, state: 'provisioned' }, now - 86_400_000, now, 3).silent).toBe(1);
    expect(deviceStatus({ ...base, state: 'suspended' }, undefined, now, 3).silent).toBe(0);
    expect(deviceStatus({ ...base, state: 'silent' }, now, now, 3).silent).toBe(1);
  });

  it('should write state as a string field and silent as an integer', () => {
    const point = deviceStatusPoint(measurementNames(), deviceStatus(base, now - 60_000, now, 3), now);
    expect(toLine(point)).toBe(
      `device_status,device=wm-1,domain=water,site=nord,tenant=sev last_seen_age_s=60,silent=0i,state="active" ${now}`,
    );
  });
});
