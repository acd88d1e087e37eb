import type { Redis } from 'ioredis';
import {
  countImportRows,
  ImportRowResult,
  type ImportState,
  type ImportStatus,
} from '../domain/csv-import-status.js';
import type { Actor } from '../ports/actor.js';

/** An import's report stays this long; the file itself goes as soon as the import finished. */
const IMPORT_TTL_S = 7 * 86_400;

/** Who started an import and which tenant it is bound to (null = an admin's, any tenant). */
export interface ImportMeta {
  readonly importId: string;
  readonly state: ImportState;
  readonly total: number;
  readonly tenant: string | null;
  readonly actor: Actor;
  readonly createdAt: string;
  /** The uploaded file, summed up for the audit log (the file itself is deleted when done). */
  readonly file: ImportFileSummary;
  readonly error?: string;
}

export interface ImportFileSummary {
  readonly bytes: number;
  /** Hex sha256 of the file: two uploads of the same file are recognisable in the audit log. */
  readonly sha256: string;
}

/**
 * Imports in Redis: `<prefix>import:<id>` (hash: state, total, tenant, actor, createdAt, fileBytes,
 * fileSha256, error),
 * `…:csv` (the file, until the job finished) and `…:rows` (hash line -> row result). Row results
 * are keyed by line so a retried job knows which rows it already did, and reports each row once.
 */
export class ImportStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(importId: string, part?: 'csv' | 'rows'): string {
    return `${this.prefix}import:${importId}${part === undefined ? '' : `:${part}`}`;
  }

  async create(meta: Omit<ImportMeta, 'state'>, csv: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(meta.importId), {
        state: 'queued',
        total: String(meta.total),
        tenant: meta.tenant ?? '',
        actor: JSON.stringify({ name: meta.actor.name, role: meta.actor.role }),
        createdAt: meta.createdAt,
        fileBytes: String(meta.file.bytes),
        fileSha256: meta.file.sha256,
      })
      .expire(this.key(meta.importId), IMPORT_TTL_S)
      .set(this.key(meta.importId, 'csv'), csv, 'EX', IMPORT_TTL_S)
      .exec();
  }

  async meta(importId: string): Promise<ImportMeta | undefined> {
    const h = await this.redis.hgetall(this.key(importId));
    if (h.state === undefined) return undefined;
    return {
      importId,
      state: h.state as ImportState,
      total: Number(h.total ?? 0),
      tenant: h.tenant ? h.tenant : null,
      actor: JSON.parse(h.actor ?? '{"name":"unknown","role":"system"}') as Actor,
      createdAt: h.createdAt ?? '',
      file: { bytes: Number(h.fileBytes ?? 0), sha256: h.fileSha256 ?? '' },
      ...(h.error !== undefined && { error: h.error }),
    };
  }

  async csv(importId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(importId, 'csv'))) ?? undefined;
  }

  async setState(importId: string, state: ImportState, error?: string): Promise<void> {
    const multi = this.redis
      .multi()
      .hset(this.key(importId), { state, ...(error !== undefined && { error }) });
    // The file is no longer needed once the import is over, and it may hold a lot of bytes.
    if (state === 'completed' || state === 'failed') multi.del(this.key(importId, 'csv'));
    await multi.exec();
  }

  /** Lines that already have a result (a retried job skips them). */
  async doneLines(importId: string): Promise<Set<number>> {
    return new Set((await this.redis.hkeys(this.key(importId, 'rows'))).map(Number));
  }

  async saveRows(importId: string, rows: readonly ImportRowResult[]): Promise<void> {
    if (rows.length === 0) return;
    const fields = Object.fromEntries(rows.map((r) => [String(r.line), JSON.stringify(r)]));
    await this.redis
      .multi()
      .hset(this.key(importId, 'rows'), fields)
      .expire(this.key(importId, 'rows'), IMPORT_TTL_S)
      .exec();
  }

  async rows(importId: string): Promise<ImportRowResult[]> {
    const all = await this.redis.hvals(this.key(importId, 'rows'));
    return all
      .flatMap((text) => {
        const parsed = ImportRowResult.safeParse(JSON.parse(text));
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.line - b.line);
  }

  async status(importId: string): Promise<(ImportStatus & { tenant: string | null }) | undefined> {
    const meta = await this.meta(importId);
    if (meta === undefined) return undefined;
    const rows = await this.rows(importId);
    return {
      importId,
      state: meta.state,
      total: meta.total,
      ...countImportRows(rows),
      rows,
      ...(meta.error !== undefined && { error: meta.error }),
      tenant: meta.tenant,
    };
  }
}
