import type { DeviceRecord, DeviceState } from '@terrapulse/contracts';
import type { AuditDraft } from './audit-log.js';

export interface DeviceFilter {
  readonly tenant?: string;
  readonly site?: string;
  readonly domain?: string;
  readonly kind?: string;
  readonly state?: DeviceState;
  /** Case-insensitive substring of deviceId, siteName, model or an external id. */
  readonly q?: string;
}

export interface DevicePage {
  readonly items: DeviceRecord[];
  /** Opaque; pass back as `cursor` for the next page. null = last page. */
  readonly nextCursor: string | null;
}

/**
 * One change to one device, committed atomically with its outbox entry and its audit entry
 * (the transactional outbox): either all three are stored, or none.
 */
export interface DeviceChange {
  readonly deviceId: string;
  /**
   * The record the change was computed from (optimistic concurrency): null = the device must not
   * exist yet. When the stored record differs, nothing is written and commit resolves `conflict`.
   */
  readonly expected: DeviceRecord | null;
  /** The new record; undefined = no record change (audit only, e.g. a credential rotation). */
  readonly next?: DeviceRecord;
  readonly audit: AuditDraft;
}

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly current: DeviceRecord | null };

/** The registry's source of truth (Redis). Adapters own their connections. */
export interface DeviceStore {
  get(deviceId: string): Promise<DeviceRecord | undefined>;
  getMany(deviceIds: readonly string[]): Promise<Array<DeviceRecord | undefined>>;
  /** Devices in deviceId order; `limit` at most 500. */
  list(filter: DeviceFilter, page: { readonly limit: number; readonly cursor?: string }): Promise<DevicePage>;
  /** Stores the record + outbox entry + audit entry in one atomic step. */
  commit(change: DeviceChange): Promise<CommitResult>;
}
