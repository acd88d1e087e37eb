import type { DeviceState } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { type LifecycleEvent, registerDevice, transition } from '../src/domain/lifecycle.js';
import { waterMeter } from './record-fixtures.js';

const now = new Date('2025-06-01T12:00:00.000Z');
const inState = (state: DeviceState) => waterMeter({ state });

describe('device lifecycle', () => {
  it('registerDevice should create a registered record stamped now', () => {
    const { state: _s, stateReason: _r, updatedAt: _u, ...draft } = waterMeter();
    const record = registerDevice(draft, now);
    expect(record.state).toBe('registered');
    expect(record.updatedAt).toBe(now.toISOString());
  });

  it('provisioned should move a registered device to provisioned with a reason', () => {
    const t = transition(inState('registered'), { type: 'provisioned' }, now);
    expect(t).toMatchObject({ ok: true, changed: true, record: { state: 'provisioned' } });
    if (t.ok) expect(t.record.updatedAt).toBe(now.toISOString());
  });

  it('provisioned on an active device should be a rotation that keeps the state', () => {
    const t = transition(inState('active'), { type: 'provisioned' }, now);
    expect(t).toMatchObject({
      ok: true,
      record: { state: 'active', stateReason: 'MQTT credentials rotated' },
    });
  });

  it('a provision request should be allowed but change nothing (the job moves the state)', () => {
    const record = inState('registered');
    expect(transition(record, { type: 'provision' }, now)).toEqual({ ok: true, changed: false, record });
  });

  it.each<DeviceState>(['suspended', 'decommissioned'])(
    'provision should be refused on a %s device',
    (state) => {
      const t = transition(inState(state), { type: 'provision' }, now);
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.reason).toContain(state);
    },
  );

  it('a failed provisioning should leave the device registered with the error as its reason', () => {
    const t = transition(inState('registered'), { type: 'provision_failed', error: 'broker said no' }, now);
    expect(t).toMatchObject({
      ok: true,
      record: { state: 'registered', stateReason: 'provisioning failed: broker said no' },
    });
  });

  it.each<DeviceState>(['provisioned', 'active', 'silent'])(
    'a failed credential rotation should keep a %s device in its state, saying so',
    (state) => {
      const t = transition(inState(state), { type: 'provision_failed', error: 'broker said no' }, now);
      expect(t).toMatchObject({
        ok: true,
        record: {
          state,
          stateReason:
            'credential rotation failed (the previous password is likely still the valid one): broker said no',
        },
      });
    },
  );

  it.each<DeviceState>(['suspended', 'decommissioned'])(
    'a provisioning failure should not touch a %s device',
    (state) => {
      expect(transition(inState(state), { type: 'provision_failed', error: 'x' }, now).ok).toBe(false);
    },
  );

  it('activate should move provisioned and silent devices to active, and nothing else', () => {
    expect(transition(inState('provisioned'), { type: 'activate' }, now)).toMatchObject({
      ok: true,
      record: { state: 'active', stateReason: 'first valid reading' },
    });
    expect(transition(inState('silent'), { type: 'activate' }, now)).toMatchObject({
      ok: true,
      record: { state: 'active', stateReason: 'reporting again' },
    });
    for (const s of ['registered', 'active', 'suspended', 'decommissioned'] as const) {
      expect(transition(inState(s), { type: 'activate' }, now).ok).toBe(false);
    }
  });

  it('silence should only apply to an active device and say for how long', () => {
    expect(transition(inState('active'), { type: 'silence', silentForS: 2700 }, now)).toMatchObject({
      ok: true,
      record: { state: 'silent', stateReason: 'no reading for 2700 s' },
    });
    expect(transition(inState('provisioned'), { type: 'silence', silentForS: 1 }, now).ok).toBe(false);
  });

  it('suspend should keep the operator reason, and be refused twice', () => {
    const t = transition(inState('active'), { type: 'suspend', reason: 'stolen' }, now);
    expect(t).toMatchObject({ ok: true, record: { state: 'suspended', stateReason: 'stolen' } });
    expect(transition(inState('suspended'), { type: 'suspend', reason: 'x' }, now).ok).toBe(false);
  });

  it('resume should go back to provisioned, or registered when no credentials exist', () => {
    expect(transition(inState('suspended'), { type: 'resume', hasCredentials: true }, now)).toMatchObject({
      ok: true,
      record: { state: 'provisioned' },
    });
    expect(transition(inState('suspended'), { type: 'resume', hasCredentials: false }, now)).toMatchObject({
      ok: true,
      record: { state: 'registered' },
    });
    expect(transition(inState('active'), { type: 'resume', hasCredentials: true }, now).ok).toBe(false);
  });

  it('decommissioned should be final: every event is refused with a message that says so', () => {
    const events: LifecycleEvent[] = [
      { type: 'provision' },
      { type: 'provisioned' },
      { type: 'activate' },
      { type: 'suspend', reason: 'x' },
      { type: 'resume', hasCredentials: true },
      { type: 'decommission', reason: 'again' },
    ];
    for (const event of events) {
      const t = transition(inState('decommissioned'), event, now);
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.reason).toMatch(/final/);
    }
  });

  it('a long reason should be clipped to what the record contract allows', () => {
    const t = transition(inState('active'), { type: 'suspend', reason: 'x'.repeat(2_000) }, now);
    expect(t.ok && t.record.stateReason?.length).toBe(500);
  });
});
