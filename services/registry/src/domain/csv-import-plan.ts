import type { DeviceRecord } from '@terrapulse/contracts';
import type { DeviceDraft } from '../http/schemas/device.js';
import { compareWithExisting } from './csv-compare.js';
import { type FieldError, readCsvHeader, readDeviceRow } from './csv-device-row.js';
import type { ImportRowResult } from './csv-import-status.js';
import { readCsvTable } from './csv-table.js';

/** Rows per file. A 5 MiB body holds about this many; more is a job for several files. */
export const MAX_IMPORT_ROWS = 10_000;

/** A data row after reading and validation, before the registry is consulted. */
export type PlannedRow =
  | { readonly line: number; readonly deviceId: string; readonly draft: DeviceDraft }
  | { readonly line: number; readonly deviceId: string | null; readonly errors: readonly FieldError[] };

export type ImportPlan =
  | { readonly ok: true; readonly rows: readonly PlannedRow[] }
  | { readonly ok: false; readonly errors: readonly (FieldError & { readonly line: number })[] };

export interface PlanOptions {
  /** The operator's tenant: rows of another tenant are refused. Undefined for an admin. */
  readonly tenant?: string | undefined;
}

/**
 * Reads an import file into one planned row per data line. File errors (broken quoting, bad
 * header, no rows, too many rows) refuse the whole file; row errors refuse only their row, so a
 * file with a few bad lines still imports the good ones. A device id seen on an earlier line makes
 * the later line invalid: which of two different rows should win is the operator's call.
 */
export function planImport(text: string, options: PlanOptions = {}): ImportPlan {
  const table = readCsvTable(text);
  if (!table.ok) return { ok: false, errors: [{ line: table.line, field: 'file', message: table.message }] };
  const [headerRecord, ...data] = table.records;
  if (headerRecord === undefined) {
    return {
      ok: false,
      errors: [{ line: 1, field: 'file', message: 'the file is empty; a header row is required' }],
    };
  }
  const header = readCsvHeader(headerRecord.cells);
  if (!header.ok) return { ok: false, errors: header.errors.map((e) => ({ ...e, line: headerRecord.line })) };
  if (data.length === 0) {
    return {
      ok: false,
      errors: [{ line: headerRecord.line, field: 'file', message: 'the file has no data row' }],
    };
  }
  if (data.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      errors: [
        { line: 1, field: 'file', message: `${data.length} rows; at most ${MAX_IMPORT_ROWS} per file` },
      ],
    };
  }

  const firstLine = new Map<string, number>();
  const deviceIdIndex = header.header.get('deviceId');
  const rows = data.map((record): PlannedRow => {
    const rawId = deviceIdIndex === undefined ? undefined : record.cells[deviceIdIndex]?.trim();
    // Bounded: the id is echoed back in the report even when it is garbage.
    const deviceId = rawId ? rawId.slice(0, 128) : null;
    const checked = readDeviceRow(header.header, header.width, record.cells);
    const errors: FieldError[] = checked.ok ? [] : [...checked.errors];
    if (deviceId !== null) {
      const earlier = firstLine.get(deviceId);
      if (earlier !== undefined) {
        errors.unshift({ field: 'deviceId', message: `already on line ${earlier} of this file` });
      } else {
        firstLine.set(deviceId, record.line);
      }
    }
    if (checked.ok && options.tenant !== undefined && checked.draft.tenant !== options.tenant) {
      errors.push({ field: 'tenant', message: `you may import devices of tenant ${options.tenant} only` });
    }
    if (errors.length > 0 || !checked.ok) return { line: record.line, deviceId, errors };
    return { line: record.line, deviceId: checked.draft.deviceId, draft: checked.draft };
  });
  return { ok: true, rows };
}

/**
 * The outcome of a valid row given the device the registry has under its id. `create` means the
 * caller should create it (and report "created" once stored).
 */
export function resolvePlannedRow(
  row: PlannedRow & { readonly draft: DeviceDraft },
  existing: DeviceRecord | undefined,
  options: PlanOptions = {},
): ImportRowResult | 'create' {
  if (existing === undefined) return 'create';
  const base = { line: row.line, deviceId: row.deviceId };
  // Another tenant's device: say the id is taken, and nothing about that device.
  if (options.tenant !== undefined && existing.tenant !== options.tenant) {
    return {
      ...base,
      status: 'conflict',
      errors: [{ field: 'deviceId', message: 'a device with this id already exists' }],
    };
  }
  const comparison = compareWithExisting(row.draft, existing);
  return comparison.status === 'unchanged'
    ? { ...base, status: 'unchanged', errors: [] }
    : { ...base, status: 'conflict', errors: [...comparison.errors] };
}

/** The result of a row that never reached the registry. */
export function invalidRowResult(
  row: PlannedRow & { readonly errors: readonly FieldError[] },
): ImportRowResult {
  return { line: row.line, deviceId: row.deviceId, status: 'invalid', errors: [...row.errors] };
}
