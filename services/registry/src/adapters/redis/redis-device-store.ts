import type { DeviceRecord } from '@terrapulse/contracts';
import type { Redis } from 'ioredis';
import type { AuditDraft, AuditEntry, AuditLog, AuditQuery } from '../../ports/audit-log.js';
import type {
  CommitResult,
  DeviceChange,
  DeviceFilter,
  DevicePage,
  DeviceStore,
} from '../../ports/device-store.js';
import { APPEND_AUDIT_ONCE, COMMIT_DEVICE_CHANGE } from './lua-scripts.js';
import type { RegistryKeys } from './registry-keys.js';

const SCAN_CHUNK = 200;
/** An operator's filtered audit query reads at most this many entries of the global stream. */
const AUDIT_SCAN_LIMIT = 20_000;
/** How long an action stays marked recorded: longer than any job's retries. */
const AUDIT_ONCE_TTL_S = 30 * 86_400;

/**
 * Devices as JSON strings under their key, indexes as sorted sets, the outbox and the audit log as
 * streams; every change goes through one Lua script (see lua-scripts.ts). Records are returned as
 * stored (JSON.parse, no re-parse) so that their serialization is stable for the concurrency check.
 */
export class RedisDeviceStore implements DeviceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RegistryKeys,
  ) {}

  async get(deviceId: string): Promise<DeviceRecord | undefined> {
    const raw = await this.redis.get(this.keys.device(deviceId));
    return raw === null ? undefined : (JSON.parse(raw) as DeviceRecord);
  }

  async getMany(deviceIds: readonly string[]): Promise<Array<DeviceRecord | undefined>> {
    if (deviceIds.length === 0) return [];
    const raws = await this.redis.mget(...deviceIds.map((id) => this.keys.device(id)));
    return raws.map((raw) => (raw === null ? undefined : (JSON.parse(raw) as DeviceRecord)));
  }

  async list(filter: DeviceFilter, page: { limit: number; cursor?: string }): Promise<DevicePage> {
    const index = filter.tenant === undefined ? this.keys.allDevices : this.keys.tenantDevices(filter.tenant);
    const items: DeviceRecord[] = [];
    let after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    for (;;) {
      const ids = await this.redis.zrangebylex(
        index,
        after === undefined ? '-' : `(${after}`,
        '+',
        'LIMIT',
        0,
        SCAN_CHUNK,
      );
      const records = await this.getMany(ids);
      for (const [i, record] of records.entries()) {
        if (record !== undefined && matches(record, filter)) items.push(record);
        if (items.length === page.limit) {
          const last = ids[i] as string;
          const more = i < ids.length - 1 || ids.length === SCAN_CHUNK;
          return { items, nextCursor: more ? encodeCursor(last) : null };
        }
      }
      if (ids.length < SCAN_CHUNK) return { items, nextCursor: null };
      after = ids[ids.length - 1];
    }
  }

  async commit(change: DeviceChange): Promise<CommitResult> {
    const tenant = change.next?.tenant ?? change.expected?.tenant ?? '';
    const [ok, payload] = (await this.redis.eval(
      COMMIT_DEVICE_CHANGE,
      6,
      this.keys.device(change.deviceId),
      this.keys.allDevices,
      this.keys.tenantDevices(tenant),
      this.keys.outbox,
      this.keys.audit,
      this.keys.deviceAudit(change.deviceId),
      change.expected === null ? '' : JSON.stringify(change.expected),
      change.next === undefined ? '' : JSON.stringify(change.next),
      change.deviceId,
      JSON.stringify(auditBody(change.audit)),
      change.audit.tenant ?? '',
    )) as [number, string];
    if (ok === 1) return { ok: true };
    return { ok: false, current: payload === '' ? null : (JSON.parse(payload) as DeviceRecord) };
  }

  /** AuditLog.record: one entry with no device change, once per `once`. */
  async auditRecord(draft: AuditDraft, once: string): Promise<boolean> {
    const id = await this.redis.eval(
      APPEND_AUDIT_ONCE,
      2,
      this.keys.audit,
      this.keys.auditOnce(once),
      JSON.stringify(auditBody(draft)),
      draft.tenant ?? '',
      AUDIT_ONCE_TTL_S,
    );
    return id !== null;
  }

  /** AuditLog.list, newest first (named apart from DeviceStore.list; see auditLogOf). */
  async auditList(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = query.limit ?? 100;
    const stream = query.deviceId === undefined ? this.keys.audit : this.keys.deviceAudit(query.deviceId);
    const out: AuditEntry[] = [];
    let end = '+';
    let scanned = 0;
    while (out.length < limit && scanned < AUDIT_SCAN_LIMIT) {
      const chunk = await this.redis.xrevrange(stream, end, '-', 'COUNT', SCAN_CHUNK);
      for (const [id, fields] of chunk) {
        const entry = toAuditEntry(id, fields);
        if (query.tenant === undefined || entry.tenant === query.tenant) out.push(entry);
        if (out.length === limit) break;
      }
      scanned += chunk.length;
      const last = chunk[chunk.length - 1];
      if (chunk.length < SCAN_CHUNK || last === undefined) break;
      end = `(${last[0]}`;
    }
    return out;
  }
}

/** The audit log view of the store (the store class already implements `list` for devices). */
export function auditLogOf(store: RedisDeviceStore): AuditLog {
  return {
    list: (query) => store.auditList(query),
    record: (entry, once) => store.auditRecord(entry, once),
  };
}

export function auditBody(draft: AuditDraft): Omit<AuditDraft, 'tenant'> & { at: string } {
  return {
    at: draft.at ?? new Date().toISOString(),
    actor: { name: draft.actor.name, role: draft.actor.role },
    action: draft.action,
    target: draft.target,
    before: draft.before,
    after: draft.after,
  };
}

function toAuditEntry(id: string, fields: string[]): AuditEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const body = JSON.parse(map.get('entry') ?? '{}') as Omit<AuditEntry, 'id' | 'tenant'>;
  const tenant = map.get('tenant') || null;
  return { id, ...body, tenant };
}

function matches(d: DeviceRecord, f: DeviceFilter): boolean {
  if (f.site !== undefined && d.site !== f.site) return false;
  if (f.domain !== undefined && d.domain !== f.domain) return false;
  if (f.kind !== undefined && d.kind !== f.kind) return false;
  if (f.state !== undefined && d.state !== f.state) return false;
  if (f.q !== undefined && f.q !== '') {
    const q = f.q.toLowerCase();
    const hay = [d.deviceId, d.siteName, d.model, ...Object.values(d.externalIds ?? {})];
    if (!hay.some((s) => s?.toLowerCase().includes(q))) return false;
  }
  return true;
}

const encodeCursor = (deviceId: string): string => Buffer.from(deviceId).toString('base64url');
function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
