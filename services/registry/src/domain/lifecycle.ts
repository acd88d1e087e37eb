import type { DeviceRecord, DeviceState } from '@terrapulse/contracts';

/**
 * What may happen to a device. Operator events: provision, suspend, resume, decommission.
 * System events: provisioned (the provisioning job ran), provision_failed (it gave up),
 * activate (first valid reading), silence (no reading for too long).
 */
export type LifecycleEvent =
  | { readonly type: 'provision' }
  | { readonly type: 'provisioned' }
  | { readonly type: 'provision_failed'; readonly error: string }
  | { readonly type: 'activate' }
  | { readonly type: 'silence'; readonly silentForS: number }
  | { readonly type: 'suspend'; readonly reason: string }
  | { readonly type: 'resume'; readonly hasCredentials: boolean }
  | { readonly type: 'decommission'; readonly reason: string };

export type Transition =
  | { readonly ok: true; readonly record: DeviceRecord; readonly changed: boolean }
  | { readonly ok: false; readonly reason: string };

const MAX_REASON = 500;

/** States from which each event is allowed; a provision on a credentialed device rotates them. */
const allowed: Record<LifecycleEvent['type'], readonly DeviceState[]> = {
  provision: ['registered', 'provisioned', 'active', 'silent'],
  provisioned: ['registered', 'provisioned', 'active', 'silent'],
  provision_failed: ['registered', 'provisioned', 'active', 'silent'],
  activate: ['provisioned', 'silent'],
  silence: ['active'],
  suspend: ['registered', 'provisioned', 'active', 'silent'],
  resume: ['suspended'],
  decommission: ['registered', 'provisioned', 'active', 'silent', 'suspended'],
};

function refuse(record: DeviceRecord, event: LifecycleEvent): Transition {
  const from = record.state;
  const hint =
    from === 'decommissioned'
      ? 'a decommissioned device is final'
      : `${event.type} is allowed from ${allowed[event.type].join(', ')}`;
  return { ok: false, reason: `device ${record.deviceId} is ${from}: ${hint}` };
}

function clip(text: string): string {
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}

/**
 * The one place the lifecycle lives: pure, so the HTTP routes, the jobs and the tests share it.
 * `changed` is false when the record stays the same (a provision request is only a request:
 * the state moves when the job ran).
 */
export function transition(record: DeviceRecord, event: LifecycleEvent, now: Date): Transition {
  if (!allowed[event.type].includes(record.state)) return refuse(record, event);
  const to = (state: DeviceState, stateReason: string): Transition => ({
    ok: true,
    changed: true,
    record: { ...record, state, stateReason: clip(stateReason), updatedAt: now.toISOString() },
  });
  switch (event.type) {
    case 'provision':
      return { ok: true, changed: false, record };
    case 'provisioned':
      return record.state === 'registered'
        ? to('provisioned', 'MQTT credentials issued')
        : to(record.state, 'MQTT credentials rotated');
    case 'provision_failed':
      // A failed rotation keeps the device's state; Mosquitto most likely still holds the old password.
      return record.state === 'registered'
        ? to('registered', `provisioning failed: ${event.error}`)
        : to(
            record.state,
            `credential rotation failed (the previous password is likely still the valid one): ${event.error}`,
          );
    case 'activate':
      return to('active', record.state === 'silent' ? 'reporting again' : 'first valid reading');
    case 'silence':
      return to('silent', `no reading for ${event.silentForS} s`);
    case 'suspend':
      return to('suspended', event.reason);
    case 'resume':
      // A device suspended before it had credentials goes back to registered, not provisioned.
      return event.hasCredentials
        ? to('provisioned', 'resumed')
        : to('registered', 'resumed (no MQTT credentials yet)');
    case 'decommission':
      return to('decommissioned', event.reason);
  }
}

/** A new device, as POST /devices and the CSV import create it. */
export function registerDevice(
  draft: Omit<DeviceRecord, 'state' | 'stateReason' | 'updatedAt'>,
  now: Date,
): DeviceRecord {
  return { ...draft, state: 'registered', stateReason: 'registered', updatedAt: now.toISOString() };
}
