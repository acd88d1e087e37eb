import type { Actor } from './actor.js';

/** Operator actions and system transitions, as written to the audit stream. */
export type AuditAction =
  | 'device.create'
  | 'device.patch'
  | 'device.provision'
  | 'device.provisioned'
  | 'device.provision_failed'
  | 'device.suspend'
  | 'device.resume'
  | 'device.decommission'
  | 'device.activate'
  | 'device.silence'
  | 'device.import'
  | 'token.create'
  | 'import.create';

/** What the caller gives; the store adds `id` (the stream entry id) and `at` when omitted. */
export interface AuditDraft {
  readonly actor: Actor;
  readonly action: AuditAction;
  /** `device:<id>`, `token:<name>`, `import:<id>`. */
  readonly target: string;
  readonly before: object | null;
  readonly after: object | null;
  /** Tenant the entry belongs to, so an operator sees only theirs; null = admin only. */
  readonly tenant: string | null;
  readonly at?: string;
}

export interface AuditEntry extends Omit<AuditDraft, 'at'> {
  readonly id: string;
  readonly at: string;
}

export interface AuditQuery {
  readonly deviceId?: string;
  /** Only entries of this tenant (operators). */
  readonly tenant?: string;
  /** @default 100 */
  readonly limit?: number;
}

/**
 * The audit log. A device change writes its entry with the change (DeviceStore.commit); an action
 * that changes no device record by itself (a CSV import as a whole) is recorded here.
 */
export interface AuditLog {
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Appends one entry, atomically with the mark `once` (unique per action, e.g. `import:<id>`): a
   * retried job records its action once. Resolves false when `once` was already recorded.
   */
  record(entry: AuditDraft, once: string): Promise<boolean>;
}
