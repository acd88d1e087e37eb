import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@terrapulse/service-kit';
import type { Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import type { FieldError } from '../domain/csv-device-row.js';
import {
  invalidRowResult,
  type PlannedRow,
  planImport,
  resolvePlannedRow,
} from '../domain/csv-import-plan.js';
import { countImportRows, type ImportRowResult, type ImportStatus } from '../domain/csv-import-status.js';
import { registerDevice } from '../domain/lifecycle.js';
import type { Principal } from '../ports/actor.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { DeviceStore } from '../ports/device-store.js';
import type { ImportStore } from './import-store.js';
import type { QueueFactory } from './queue-factory.js';

export const ImportJobData = z.object({ importId: z.uuid() });
export type ImportJobData = z.infer<typeof ImportJobData>;

export interface ImportJobOptions {
  readonly store: DeviceStore;
  readonly imports: ImportStore;
  /** Where the import itself is recorded, once it is over (its devices are audited one by one). */
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** @default 3 */
  readonly attempts?: number;
  /** @default 1000 */
  readonly backoffMs?: number;
  readonly onRows?: (status: ImportRowResult['status'], count: number) => void;
}

export type ImportSubmission =
  | { readonly ok: true; readonly importId: string }
  | { readonly ok: false; readonly errors: readonly (FieldError & { readonly line: number })[] };

export interface ImportJobs {
  /** Checks the file (header, quoting, size) and queues it; a broken file is refused whole. */
  submit(csv: string, principal: Principal): Promise<ImportSubmission>;
  /** The import as its submitter's tenant sees it; undefined when absent or another tenant's. */
  status(importId: string, principal: Principal): Promise<ImportStatus | undefined>;
  readonly queue: Queue<ImportJobData>;
  readonly worker: Worker<ImportJobData>;
}

/** Rows looked up in the registry at once. */
const CHUNK = 100;

/**
 * CSV bulk import as a BullMQ job: each valid row becomes a registered device (record + outbox +
 * audit "device.import" by the importer, in one step), each invalid or conflicting row is reported
 * with its line and field errors. Importing a file twice creates nothing twice: an identical
 * device is "unchanged". A retried job skips the lines it already reported. The import as a whole
 * is an operator action too: once over, it gets its own audit entry (who, the file, the counts).
 */
export function createImportJobs(factory: QueueFactory, options: ImportJobOptions): ImportJobs {
  const { store, imports, logger } = options;
  const now = options.now ?? (() => new Date());
  const queue = factory.queue<ImportJobData>('import');

  async function rowResult(
    row: PlannedRow,
    existing: Parameters<typeof resolvePlannedRow>[1],
    meta: NonNullable<Awaited<ReturnType<ImportStore['meta']>>>,
  ): Promise<ImportRowResult> {
    if (!('draft' in row)) return invalidRowResult(row);
    const scope = { tenant: meta.tenant ?? undefined };
    let decision = resolvePlannedRow(row, existing, scope);
    for (let attempt = 0; decision === 'create' && attempt < 3; attempt++) {
      const record = registerDevice(row.draft, now());
      const committed = await store.commit({
        deviceId: row.deviceId,
        expected: null,
        next: record,
        audit: {
          actor: meta.actor,
          action: 'device.import',
          target: `device:${row.deviceId}`,
          before: null,
          after: record,
          tenant: record.tenant,
        },
      });
      if (committed.ok) return { line: row.line, deviceId: row.deviceId, status: 'created', errors: [] };
      // Created by someone else in between: compare with what is there now.
      decision = resolvePlannedRow(row, committed.current ?? undefined, scope);
    }
    if (decision === 'create') throw new Error(`device ${row.deviceId} keeps changing during the import`);
    return decision;
  }

  /** The audit entry of the import; written once even when the job is retried. */
  async function recordImport(importId: string, state: 'completed' | 'failed', error?: string) {
    const meta = await imports.meta(importId);
    if (meta === undefined) return;
    const { processed, created, unchanged, rejected } = countImportRows(await imports.rows(importId));
    await options.audit.record(
      {
        actor: meta.actor,
        action: 'import.create',
        target: `import:${importId}`,
        before: null,
        after: {
          importId,
          state,
          submittedAt: meta.createdAt,
          file: { ...meta.file, rows: meta.total },
          processed,
          created,
          unchanged,
          rejected,
          ...(error !== undefined && { error }),
        },
        tenant: meta.tenant,
      },
      `import:${importId}`,
    );
  }

  const processor = async (job: Job<ImportJobData>): Promise<string> => {
    const { importId } = ImportJobData.parse(job.data);
    const meta = await imports.meta(importId);
    const csv = await imports.csv(importId);
    if (meta === undefined || csv === undefined) return 'gone';
    if (meta.state === 'completed' || meta.state === 'failed') return meta.state;
    await imports.setState(importId, 'running');
    const plan = planImport(csv, { tenant: meta.tenant ?? undefined });
    if (!plan.ok) {
      // submit() checked the file; reaching this means the stored file changed under us.
      const error = plan.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ');
      await recordImport(importId, 'failed', error);
      await imports.setState(importId, 'failed', error);
      return 'failed';
    }
    const done = await imports.doneLines(importId);
    const todo = plan.rows.filter((r) => !done.has(r.line));
    for (let i = 0; i < todo.length; i += CHUNK) {
      const chunk = todo.slice(i, i + CHUNK);
      const lookups = chunk.map((r) => ('draft' in r ? r.deviceId : null));
      const wanted = lookups.filter((id): id is string => id !== null);
      const found = new Map((await store.getMany(wanted)).map((d, j) => [wanted[j] as string, d]));
      for (const row of chunk) {
        const result = await rowResult(row, 'draft' in row ? found.get(row.deviceId) : undefined, meta);
        // One row at a time: a created device is reported before the next one is created, so a
        // crash and retry never reports a device this import created as "unchanged".
        await imports.saveRows(importId, [result]);
        options.onRows?.(result.status, 1);
      }
      await job.updateProgress(Math.round(((done.size + i + chunk.length) / plan.rows.length) * 100));
    }
    // Recorded before the state: a crash in between retries the job, which records nothing twice.
    await recordImport(importId, 'completed');
    await imports.setState(importId, 'completed');
    logger.info('import completed', { importId, rows: plan.rows.length });
    return 'completed';
  };

  const worker = factory.worker<ImportJobData>('import', processor, { concurrency: 1 });
  worker.on('failed', (job, error) => {
    if (job === undefined) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn('import attempt failed', { importId: job.data.importId, final, error: error.message });
    if (final) {
      imports
        .setState(job.data.importId, 'failed', error.message)
        .then(() => recordImport(job.data.importId, 'failed', error.message))
        .catch((e: unknown) => logger.error('could not record a failed import', { error: e }));
    }
  });
  worker.on('error', (error) => logger.error('import worker error', { error }));

  return {
    queue,
    worker,
    async submit(csv, principal) {
      const plan = planImport(csv, { tenant: principal.tenant ?? undefined });
      if (!plan.ok) return { ok: false, errors: plan.errors };
      const importId = randomUUID();
      await imports.create(
        {
          importId,
          total: plan.rows.length,
          tenant: principal.tenant,
          actor: { name: principal.name, role: principal.role },
          createdAt: now().toISOString(),
          file: { bytes: Buffer.byteLength(csv), sha256: createHash('sha256').update(csv).digest('hex') },
        },
        csv,
      );
      await queue.add(
        'import',
        { importId },
        {
          jobId: importId,
          attempts: options.attempts ?? 3,
          backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
          // The report lives in the import store; the job itself carries only the id.
          removeOnComplete: { count: 1_000 },
          removeOnFail: { count: 1_000 },
        },
      );
      return { ok: true, importId };
    },
    async status(importId, principal) {
      const found = await imports.status(importId);
      if (found === undefined) return undefined;
      // An admin's import (tenant null) is visible to admins only; a tenant's to its own tokens.
      if (principal.tenant !== null && found.tenant !== principal.tenant) return undefined;
      const { tenant: _tenant, ...status } = found;
      return status;
    },
  };
}
