import { describe, expect, it } from 'vitest';
import { isSilent, needsActivation, silenceDeadline } from '../src/domain/silence.js';
import { waterMeter } from './record-fixtures.js';

const T0 = Date.parse('2025-06-01T10:00:00Z');

describe('silence rule', () => {
  const device = waterMeter({
    state: 'active',
    expectedIntervalS: 60,
    updatedAt: new Date(T0).toISOString(),
  });

  it('should call an active device silent only once now - lastSeenAt exceeds interval x factor', () => {
    expect(isSilent(device, T0, T0 + 180_000, 3)).toBe(false);
    expect(isSilent(device, T0, T0 + 180_001, 3)).toBe(true);
    expect(isSilent(device, T0, T0 + 120_001, 2)).toBe(true);
  });

  it('should count from the last state change when no reading was recorded', () => {
    expect(silenceDeadline(device, undefined, 3)).toBe(T0 + 180_000);
    expect(isSilent(device, undefined, T0 + 180_001, 3)).toBe(true);
  });

  it('should never silence a device that is not active', () => {
    for (const state of ['registered', 'provisioned', 'silent', 'suspended', 'decommissioned'] as const) {
      expect(isSilent({ ...device, state }, T0, T0 + 10_000_000, 3)).toBe(false);
    }
  });

  it('should activate provisioned and silent devices only', () => {
    expect(needsActivation('provisioned')).toBe(true);
    expect(needsActivation('silent')).toBe(true);
    for (const state of ['registered', 'active', 'suspended', 'decommissioned'] as const) {
      expect(needsActivation(state)).toBe(false);
    }
  });
});
