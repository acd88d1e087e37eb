import { DeviceId, DeviceRecord } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { buildTerritory } from '../src/domain/territory.js';
import { territory } from './fixtures.js';

describe('demo territory', () => {
  it('should hold 360 registered devices by default, spread over the three domains', () => {
    expect(territory.devices).toHaveLength(360);
    const byDomain = new Map<string, number>();
    for (const d of territory.devices)
      byDomain.set(d.record.domain, (byDomain.get(d.record.domain) ?? 0) + 1);
    expect([...byDomain.keys()].sort()).toEqual(['energy', 'mobility', 'water']);
    for (const count of byDomain.values()) expect(count).toBeGreaterThan(360 * 0.25);
  });

  it('should give three communes and a water syndicate their own devices', () => {
    const tenants = new Set(territory.devices.map((d) => d.record.tenant));
    expect(tenants).toEqual(new Set(['saint-aubin', 'val-fleuri', 'les-ormes', 'syndicat-eaux-vallee']));
    const water = territory.devices.filter((d) => d.record.domain === 'water');
    expect(water.every((d) => d.record.tenant === 'syndicat-eaux-vallee')).toBe(true);
  });

  it('should produce valid, provisioned registry records with unique ids', () => {
    const ids = new Set<string>();
    for (const d of territory.devices) {
      expect(DeviceRecord.safeParse(d.record).success).toBe(true);
      expect(d.record.state).toBe('provisioned');
      expect(d.record.timezone).toBe('Europe/Paris');
      expect(d.registered).toBe(true);
      ids.add(d.record.deviceId);
    }
    expect(ids.size).toBe(territory.devices.length);
  });

  it('should give buildings a floor area and every site a location', () => {
    const schools = territory.devices.filter((d) => /^[a-z]+-ecole-/.test(d.record.site));
    expect(schools.length).toBeGreaterThan(10);
    for (const d of schools) expect(d.record.floorAreaM2).toBeGreaterThan(1000);
    expect(territory.devices.every((d) => d.record.location !== undefined)).toBe(true);
    expect(new Set(territory.sites.map((s) => s.slug)).size).toBe(territory.sites.length);
  });

  it('should be the same for the same seed and differ for another seed', () => {
    expect(JSON.stringify(buildTerritory())).toBe(JSON.stringify(territory));
    const other = buildTerritory({ seed: 'another-territory' });
    expect(other.devices.map((d) => d.record.deviceId)).toEqual(
      territory.devices.map((d) => d.record.deviceId),
    );
    expect(JSON.stringify(other.devices.map((d) => d.profile))).not.toBe(
      JSON.stringify(territory.devices.map((d) => d.profile)),
    );
  });

  it('should keep the devices of a small fleet when the fleet grows', () => {
    const small = buildTerritory({ devices: 40 });
    expect(small.devices).toHaveLength(40);
    expect(JSON.stringify(small.devices)).toBe(JSON.stringify(territory.devices.slice(0, 40)));
    expect(buildTerritory({ devices: 2000 }).devices).toHaveLength(2000);
  });

  it('should prefix device ids and refuse a prefix that would make invalid ids', () => {
    const prefixed = buildTerritory({ devices: 5, prefix: 't-1a2b3c4d-' });
    for (const d of prefixed.devices) {
      expect(d.record.deviceId.startsWith('t-1a2b3c4d-')).toBe(true);
      expect(DeviceId.safeParse(d.record.deviceId).success).toBe(true);
    }
    expect(() => buildTerritory({ prefix: 'Bad/Prefix' })).toThrow(RangeError);
  });

  it('should add unknown devices with credentials-worthy ids but no registration', () => {
    const fleet = buildTerritory({ devices: 10, unknownDevices: 2, prefix: 'u-' });
    expect(fleet.devices).toHaveLength(12);
    const unknown = fleet.devices.filter((d) => !d.registered);
    expect(unknown.map((d) => d.record.deviceId)).toEqual(['u-unreg-0001', 'u-unreg-0002']);
  });
});
