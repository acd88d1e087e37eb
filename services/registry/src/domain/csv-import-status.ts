import { z } from 'zod';

export const ImportRowStatus = z
  .enum(['created', 'unchanged', 'invalid', 'conflict'])
  .describe(
    'created = new device stored; unchanged = the registry already has it with the same fields; ' +
      'invalid = the row breaks the contract; conflict = the registry has this id with other fields',
  );
export type ImportRowStatus = z.infer<typeof ImportRowStatus>;

export const ImportFieldError = z.object({
  field: z.string().describe('CSV column, or "row" / "file" for the whole row or file'),
  message: z.string(),
});

export const ImportRowResult = z
  .object({
    line: z.int().min(1).describe('1-based line of the file; the header is line 1'),
    deviceId: z.string().nullable(),
    status: ImportRowStatus,
    errors: z.array(ImportFieldError),
  })
  .describe('Outcome of one data row');
export type ImportRowResult = z.infer<typeof ImportRowResult>;

export const ImportState = z.enum(['queued', 'running', 'completed', 'failed']);
export type ImportState = z.infer<typeof ImportState>;

export const ImportStatus = z
  .object({
    importId: z.string(),
    state: ImportState,
    total: z.int().min(0).describe('Data rows in the file'),
    processed: z.int().min(0),
    created: z.int().min(0),
    unchanged: z.int().min(0),
    rejected: z.int().min(0).describe('Rows invalid or in conflict'),
    rows: z.array(ImportRowResult).describe('One result per processed row, by line'),
    error: z.string().optional().describe('Why the import failed, when state is failed'),
  })
  .describe('Progress and per-row results of a CSV import');
export type ImportStatus = z.infer<typeof ImportStatus>;

export interface ImportCounts {
  readonly processed: number;
  readonly created: number;
  readonly unchanged: number;
  readonly rejected: number;
}

/** The counters of an import, derived from its row results so they can never disagree with them. */
export function countImportRows(rows: readonly ImportRowResult[]): ImportCounts {
  let created = 0;
  let unchanged = 0;
  let rejected = 0;
  for (const row of rows) {
    if (row.status === 'created') created++;
    else if (row.status === 'unchanged') unchanged++;
    else rejected++;
  }
  return { processed: rows.length, created, unchanged, rejected };
}
