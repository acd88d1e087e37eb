import { DeviceRecord, MeterRole, MetricId, metricCatalogue } from '@terrapulse/contracts';
import type { z } from 'zod';
import { DeviceDraft } from '../http/schemas/device.js';

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

/** Columns every file must have: the fields a device draft cannot do without. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = CSV_COLUMNS.filter((column) => {
  const field = (DeviceDraft.shape as Record<string, z.ZodType | undefined>)[column];
  return field !== undefined && !field.safeParse(undefined).success;
});

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
  const parsed = DeviceRecord.safeParse({
    ...candidate,
    state: 'registered',
    updatedAt: PLACEHOLDER_UPDATED_AT,
  });
  if (parsed.success && errors.length === 0) {
    const { state: _state, stateReason: _reason, updatedAt: _updatedAt, ...draft } = parsed.data;
    return { ok: true, draft };
  }
  // A cell already reported (not a number, lat without lon) is not reported twice by the schema.
  const reported = new Set(errors.map((e) => e.field));
  const schemaErrors = parsed.success ? [] : fieldErrors(parsed.error, candidate);
  const crossErrors = parsed.success ? [] : crossFieldErrors(candidate);
  return {
    ok: false,
    errors: dedupe([...errors, ...[...schemaErrors, ...crossErrors].filter((e) => !reported.has(e.field))]),
  };
}

/** Maps a zod path of the record back to the CSV column the user wrote. */
function columnOf(path: readonly PropertyKey[]): string {
  const [head, second] = path;
  if (head === 'location' || head === 'externalIds')
    return typeof second === 'string' ? second : String(head);
  return head === undefined ? 'row' : String(head);
}

/** Columns whose values are ids of the contract's slug form. */
const SLUG_COLUMNS = new Set(['deviceId', 'tenant', 'site']);

function fieldErrors(error: z.ZodError, candidate: Record<string, unknown>): FieldError[] {
  return error.issues.map((issue) => {
    const field = columnOf(issue.path);
    if (issue.path[0] === 'metrics' && typeof issue.path[1] === 'number' && issue.code === 'invalid_value') {
      const metrics = candidate.metrics as readonly string[];
      return { field, message: `"${metrics[issue.path[1]]}" is not in the metric catalogue` };
    }
    if (issue.code === 'invalid_type' && candidate[field] === undefined)
      return { field, message: 'required' };
    // The import report is read by an operator fixing a spreadsheet, not by a zod user.
    if (issue.code === 'invalid_format' && issue.format === 'regex' && SLUG_COLUMNS.has(field))
      return { field, message: 'lower-case letters, digits and dashes only (e.g. wm-lyon-0042)' };
    if (field === 'devEui') return { field, message: 'a DevEUI is 16 hex digits' };
    if (issue.code === 'invalid_format' && issue.format === 'date')
      return { field, message: 'not a date; write YYYY-MM-DD' };
    if (issue.code === 'too_small' && issue.origin === 'number')
      return { field, message: `must be at least ${issue.minimum}` };
    return { field, message: issue.message };
  });
}

/** Valid values for the fields no cross-field rule of the contract reads. */
const NEUTRAL_FIELDS = {
  deviceId: 'probe',
  tenant: 'probe',
  site: 'probe',
  model: 'probe',
  expectedIntervalS: 60,
  installedAt: '2000-01-01',
  state: 'registered',
  updatedAt: PLACEHOLDER_UPDATED_AT,
} as const;

/**
 * The contract's cross-field rules (kind vs domain, metrics of the domain, meter role of water
 * meters) run only once every field parsed, so a row with a bad interval or date would hide them.
 * Re-running the contract on the row's domain, kind, metrics and meter role alone, with neutral
 * values elsewhere, reports them in the same pass: an operator fixes the row once.
 */
function crossFieldErrors(candidate: Record<string, unknown>): FieldError[] {
  const known = Array.isArray(candidate.metrics)
    ? candidate.metrics.filter((m) => MetricId.safeParse(m).success)
    : [];
  // No known metric: one of the row's domain stands in, so kind vs domain is still checked.
  const stand = Object.entries(metricCatalogue).find(([, m]) => m.domain === candidate.domain)?.[0];
  const metrics = known.length > 0 ? known : stand === undefined ? [] : [stand];
  if (metrics.length === 0) return [];
  const probe = DeviceRecord.safeParse({
    ...NEUTRAL_FIELDS,
    domain: candidate.domain,
    kind: candidate.kind,
    metrics,
    ...(MeterRole.safeParse(candidate.meterRole).success && { meterRole: candidate.meterRole }),
  });
  if (probe.success) return [];
  // Issues on the neutral fields cannot happen; issues on domain, kind or metrics are the row's.
  const fields =
    known.length > 0 ? ['domain', 'kind', 'metrics', 'meterRole'] : ['domain', 'kind', 'meterRole'];
  return fieldErrors(probe.error, { ...candidate, metrics }).filter((e) => fields.includes(e.field));
}

function dedupe(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Drops absent fields, so an empty cell means "no value" and not "undefined". */
function compact<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
