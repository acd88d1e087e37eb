import { describe, expect, it } from 'vitest';
import {
  DeviceKind,
  DeviceRecord,
  DeviceState,
  deviceKindDomain,
  rejectionForDeviceState,
} from '../src/index.js';

const valid: DeviceRecord = {
  deviceId: 'em-ecole-jaures',
  tenant: 'ville-de-grenoble',
  site: 'ecole-jaures',
  siteName: 'École Jean Jaurès',
  floorAreaM2: 2150,
  timezone: 'Europe/Paris',
  domain: 'energy',
  kind: 'electricity_meter',
  model: 'Itron SL7000',
  metrics: ['energy.active_energy_index', 'energy.active_power'],
  location: { lat: 45.1885, lon: 5.7245 },
  expectedIntervalS: 900,
  installedAt: '2024-09-02',
  externalIds: { devEui: '70B3D57ED0041A2F', meterPointId: '09876543210987' },
  state: 'active',
  updatedAt: '2025-01-10T08:00:00.000Z',
};

describe('DeviceRecord', () => {
  it('accepts a complete record', () => {
    expect(DeviceRecord.safeParse(valid).success).toBe(true);
  });

  it('accepts a meter role on a water meter and refuses it elsewhere', () => {
    const waterMeter = {
      ...valid,
      domain: 'water',
      kind: 'water_meter',
      metrics: ['water.volume_index'],
      meterRole: 'production',
    };
    expect(DeviceRecord.safeParse(waterMeter).success).toBe(true);
    expect(DeviceRecord.safeParse({ ...waterMeter, meterRole: 'export' }).success).toBe(false);
    const energy = DeviceRecord.safeParse({ ...valid, meterRole: 'consumption' });
    expect(energy.success).toBe(false);
    expect(energy.error?.issues.map((i) => i.path.join('.'))).toContain('meterRole');
  });

  it('accepts a minimal record just registered', () => {
    const minimal = {
      deviceId: 'bc-quai-1',
      tenant: 'metropole',
      site: 'quai-1',
      domain: 'mobility',
      kind: 'bike_counter',
      model: 'Eco-Counter Zelt',
      metrics: ['mobility.bike_count'],
      expectedIntervalS: 3600,
      installedAt: '2025-02-01',
      state: 'registered',
      updatedAt: '2025-02-01T12:00:00Z',
    };
    expect(DeviceRecord.safeParse(minimal).success).toBe(true);
  });

  it('rejects a kind of another domain and a metric of another domain', () => {
    expect(DeviceRecord.safeParse({ ...valid, kind: 'water_meter' }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, metrics: ['water.flow'] }).success).toBe(false);
  });

  it('rejects an empty or repeated metric list', () => {
    expect(DeviceRecord.safeParse({ ...valid, metrics: [] }).success).toBe(false);
    const twice = ['energy.active_power', 'energy.active_power'];
    expect(DeviceRecord.safeParse({ ...valid, metrics: twice }).success).toBe(false);
  });

  it('rejects a DevEUI that is not 16 hex digits', () => {
    for (const devEui of ['70B3D57ED0041A2', '70B3D57ED0041A2G', '70-B3-D5-7E-D0-04-1A-2F']) {
      expect(DeviceRecord.safeParse({ ...valid, externalIds: { devEui } }).success, devEui).toBe(false);
    }
  });

  it('rejects bad slugs, intervals, dates, states and positions', () => {
    expect(DeviceRecord.safeParse({ ...valid, tenant: 'Ville de Grenoble' }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, expectedIntervalS: 0 }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, expectedIntervalS: 1.5 }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, installedAt: '02/09/2024' }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, state: 'broken' }).success).toBe(false);
    expect(DeviceRecord.safeParse({ ...valid, location: { lat: 91, lon: 0 } }).success).toBe(false);
  });

  it('maps every device kind to a domain', () => {
    expect(Object.keys(deviceKindDomain).sort()).toEqual([...DeviceKind.options].sort());
  });
});

describe('rejectionForDeviceState', () => {
  it('accepts readings from provisioned, active and silent devices', () => {
    for (const state of ['provisioned', 'active', 'silent'] as const)
      expect(rejectionForDeviceState(state)).toBeUndefined();
  });

  it('refuses readings from registered, suspended and decommissioned devices with their own code', () => {
    expect(rejectionForDeviceState('registered')).toBe('DEVICE_NOT_PROVISIONED');
    expect(rejectionForDeviceState('suspended')).toBe('DEVICE_SUSPENDED');
    expect(rejectionForDeviceState('decommissioned')).toBe('DEVICE_DECOMMISSIONED');
  });

  it('has a decision for every state', () => {
    expect(DeviceState.options).toHaveLength(6);
  });
});
