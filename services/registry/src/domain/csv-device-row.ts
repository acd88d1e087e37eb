import { DeviceKind, DeviceRecord, Domain, deviceKindDomain } from '@terrapulse/contracts';
import type { z } from 'zod';
import type { DeviceDraft } from '../http/schemas/device.js';

/** The columns of an import file; the header names them, in any order. */
export const CSV_COLUMNS = [
  'deviceId',
  'tenant',
  'site',
  'siteName',
  'domain',
  'kind',
  'model',
  'metrics',
  'expectedIntervalS',
  'installedAt',
  'lat',
  'lon',
  'devEui',
  'serialNumber',
  'meterPointId',
  'floorAreaM2',
  'timezone',
  'meterRole',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns every file must have: a device record cannot exist without them. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = [
  'deviceId',
  'tenant',
  'site',
  'domain',
  'kind',
  'model',
  'metrics',
  'expectedIntervalS',
  'installedAt',
];

/** A problem with one cell (or the whole row, field "row"), in the user's column names. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Where each column sits in the file's rows. */
export type CsvHeader = ReadonlyMap<CsvColumn, number>;

export type HeaderCheck =
  | { readonly ok: true; readonly header: CsvHeader; readonly width: number }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Unknown, repeated or missing columns make the whole file unreadable: no row can be trusted. */
export function readCsvHeader(cells: readonly string[]): HeaderCheck {
  const known = new Set<string>(CSV_COLUMNS);
  const header = new Map<CsvColumn, number>();
  const errors: FieldError[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    if (!known.has(name)) {
      errors.push({
        field: name || `column ${index + 1}`,
        message: `unknown column; expected ${CSV_COLUMNS.join(', ')}`,
      });
    } else if (header.has(name as CsvColumn)) {
      errors.push({ field: name, message: 'column appears twice' });
    } else {
      header.set(name as CsvColumn, index);
    }
  });
  for (const column of REQUIRED_CSV_COLUMNS) {
    if (!header.has(column)) errors.push({ field: column, message: 'required column is missing' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, header, width: cells.length };
}

export type RowCheck =
  | { readonly ok: true; readonly draft: DeviceDraft }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A timestamp only used to run the record schema on a draft; never stored. */
const PLACEHOLDER_UPDATED_AT = '1970-01-01T00:00:00Z';

/**
 * Turns one data row into a device draft and validates it against the contract's DeviceRecord,
 * reporting every problem by column name: an operator fixes the file cell by cell.
 */
export function readDeviceRow(header: CsvHeader, width: number, cells: readonly string[]): RowCheck {
  if (cells.length !== width) {
    return {
      ok: false,
      errors: [{ field: 'row', message: `has ${cells.length} cells, the header has ${width}` }],
    };
  }
  const cell = (column: CsvColumn): string | undefined => {
    const index = header.get(column);
    const value = index === undefined ? undefined : cells[index]?.trim();
    return value === '' ? undefined : value;
  };
  const errors: FieldError[] = [];
  const number = (column: CsvColumn): number | undefined => {
    const text = cell(column);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) errors.push({ field: column, message: `"${text}" is not a number` });
    return value;
  };

  const lat = number('lat');
  const lon = number('lon');
  if ((lat === undefined) !== (lon === undefined)) {
    errors.push({
      field: lat === undefined ? 'lat' : 'lon',
      message: 'lat and lon go together: give both or neither',
    });
  }
  const externalIds = compact({
    devEui: cell('devEui'),
    serialNumber: cell('serialNumber'),
    meterPointId: cell('meterPointId'),
  });
  const candidate = compact({
    deviceId: cell('deviceId'),
    tenant: cell('tenant'),
    site: cell('site'),
    siteName: cell('siteName'),
    floorAreaM2: number('floorAreaM2'),
    timezone: cell('timezone'),
    domain: cell('domain'),
    kind: cell('kind'),
    model: cell('model'),
    metrics: cell('metrics')
      ?.split('|')
      .map((m) => m.trim()),
    location: lat !== undefined && lon !== undefined ? { lat, lon } : undefined,
    expectedIntervalS: number('expectedIntervalS'),
    installedAt: cell('installedAt'),
    externalIds: Object.keys(externalIds).length > 0 ? externalIds : undefined,
    meterRole: cell('meterRole'),
  });
  if (errors.length > 0) return { ok: false, errors };

  const parsed = DeviceRecord.safeParse({
    ...candidate,
    state: 'registered',
    updatedAt: PLACEHOLDER_UPDATED_AT,
  });
  if (!parsed.success)
    return { ok: false, errors: withKindCheck(fieldErrors(parsed.error, candidate), candidate) };
  const { state: _state, stateReason: _reason, updatedAt: _updatedAt, ...draft } = parsed.data;
  return { ok: true, draft };
}

/** Maps a zod path of the record back to the CSV column the user wrote. */
function columnOf(path: readonly PropertyKey[]): string {
  const [head, second] = path;
  if (head === 'location' || head === 'externalIds')
    return typeof second === 'string' ? second : String(head);
  return head === undefined ? 'row' : String(head);
}

function fieldErrors(error: z.ZodError, candidate: Record<string, unknown>): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = columnOf(issue.path);
    let message = issue.message;
    if (issue.path[0] === 'metrics' && typeof issue.path[1] === 'number' && issue.code === 'invalid_value') {
      const metrics = candidate.metrics as readonly string[];
      message = `"${metrics[issue.path[1]]}" is not in the metric catalogue`;
    } else if (issue.code === 'invalid_type' && candidate[field] === undefined) {
      message = 'required';
    }
    const key = `${field}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message });
    }
  }
  return out;
}

/**
 * The contract checks kind against domain only once every field parsed; a row with several bad
 * cells should still hear about this one in the same report.
 */
function withKindCheck(errors: FieldError[], candidate: Record<string, unknown>): FieldError[] {
  const kind = DeviceKind.safeParse(candidate.kind);
  const domain = Domain.safeParse(candidate.domain);
  if (!kind.success || !domain.success || deviceKindDomain[kind.data] === domain.data) return errors;
  const message = `a ${kind.data} belongs to ${deviceKindDomain[kind.data]}`;
  if (errors.some((e) => e.field === 'domain' && e.message === message)) return errors;
  return [...errors, { field: 'domain', message }];
}

/** Drops absent fields, so an empty cell means "no value" and not "undefined". */
function compact<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
