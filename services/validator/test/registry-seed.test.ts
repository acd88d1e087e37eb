import { describe, expect, it } from 'vitest';
import { parseDeviceSeed } from '../src/registry-seed.js';
import { deviceRecord, trafficCounter } from './fixtures.js';

describe('registry seed', () => {
  it('accepts an array of valid device records', () => {
    const seed = parseDeviceSeed([deviceRecord(), trafficCounter()]);
    expect(seed).toEqual({ ok: true, records: [deviceRecord(), trafficCounter()] });
  });

  it('reports each invalid record with its index and publishes none', () => {
    const seed = parseDeviceSeed([deviceRecord(), { ...trafficCounter(), kind: 'water_meter' }, 42]);
    expect(seed.ok).toBe(false);
    if (seed.ok) return;
    expect(seed.problems.map((p) => [p.index, p.deviceId])).toEqual([
      [1, 'tc-0001'],
      [2, undefined],
    ]);
    expect(seed.problems[0]?.issues[0]?.path).toBe('domain');
  });

  it('reports a device listed twice, which the compacted topic would silently collapse', () => {
    const seed = parseDeviceSeed([deviceRecord(), deviceRecord({ state: 'suspended' })]);
    expect(!seed.ok && seed.problems.map((p) => p.index)).toEqual([1]);
  });

  it('refuses anything but an array', () => {
    expect(parseDeviceSeed({ devices: [] }).ok).toBe(false);
  });
});
