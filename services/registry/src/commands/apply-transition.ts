import type { DeviceRecord } from '@terrapulse/contracts';
import { type LifecycleEvent, transition } from '../domain/lifecycle.js';
import type { Actor } from '../ports/actor.js';
import type { AuditAction } from '../ports/audit-log.js';
import type { DeviceStore } from '../ports/device-store.js';

export type ApplyResult =
  | {
      readonly ok: true;
      readonly before: DeviceRecord;
      readonly record: DeviceRecord;
      readonly changed: boolean;
    }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict'; readonly reason: string };

export interface ApplyOptions {
  readonly store: DeviceStore;
  readonly deviceId: string;
  readonly event: LifecycleEvent;
  readonly actor: Actor;
  readonly action: AuditAction;
  /** Checked on the current record before anything is written (tenant scoping); false = not found. */
  readonly visible?: (record: DeviceRecord) => boolean;
  /** Side effect to run once the transition is known to be allowed, before it is stored (dynsec). */
  readonly beforeCommit?: (current: DeviceRecord) => Promise<void>;
  /** Audit even when the record does not change (a provision request, a rotation). @default true */
  readonly auditUnchanged?: boolean;
  readonly now?: () => Date;
}

const MAX_ATTEMPTS = 8;

/**
 * Reads a device, applies a lifecycle event and commits the result with its outbox and audit
 * entries; retries when another writer changed the device in between (optimistic concurrency).
 * Routes, the provisioning job and the health tracker's activation and silence jobs share it.
 */
export async function applyTransition(options: ApplyOptions): Promise<ApplyResult> {
  const now = options.now ?? (() => new Date());
  let sideEffectDone = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await options.store.get(options.deviceId);
    if (current === undefined || (options.visible && !options.visible(current))) {
      return { ok: false, code: 'not_found', reason: `no device ${options.deviceId}` };
    }
    const result = transition(current, options.event, now());
    if (!result.ok) return { ok: false, code: 'conflict', reason: result.reason };
    if (!sideEffectDone && options.beforeCommit) {
      await options.beforeCommit(current);
      sideEffectDone = true;
    }
    if (!result.changed && options.auditUnchanged === false) {
      return { ok: true, before: current, record: current, changed: false };
    }
    const committed = await options.store.commit({
      deviceId: options.deviceId,
      expected: current,
      ...(result.changed ? { next: result.record } : {}),
      audit: {
        actor: options.actor,
        action: options.action,
        target: `device:${options.deviceId}`,
        before: current,
        after: result.record,
        tenant: current.tenant,
      },
    });
    if (committed.ok) return { ok: true, before: current, record: result.record, changed: result.changed };
  }
  return { ok: false, code: 'conflict', reason: `device ${options.deviceId} keeps changing; try again` };
}
