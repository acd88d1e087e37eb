import { describe, expect, it } from 'vitest';
import { compareWithExisting } from '../src/domain/csv-compare.js';
import { REQUIRED_CSV_COLUMNS, readCsvHeader } from '../src/domain/csv-device-row.js';
import { MAX_IMPORT_ROWS, planImport, resolvePlannedRow } from '../src/domain/csv-import-plan.js';
import { waterMeter } from './record-fixtures.js';

const HEADER = 'deviceId,tenant,site,domain,kind,model,metrics,expectedIntervalS,installedAt,lat,lon,devEui';
const GOOD =
  'wm-0001,commune-a,school-1,water,water_meter,Acme WM-1,water.volume_index|water.flow,900,2024-03-01,,,';

function rowsOf(csv: string, tenant?: string) {
  const plan = planImport(csv, { tenant });
  if (!plan.ok) throw new Error(`file refused: ${JSON.stringify(plan.errors)}`);
  return plan.rows;
}

describe('planImport', () => {
  it('should turn a good row into a draft with metrics split on | and empty cells absent', () => {
    const [row] = rowsOf(`${HEADER}\n${GOOD}\n`);
    expect(row).toEqual({
      line: 2,
      deviceId: 'wm-0001',
      draft: {
        deviceId: 'wm-0001',
        tenant: 'commune-a',
        site: 'school-1',
        domain: 'water',
        kind: 'water_meter',
        model: 'Acme WM-1',
        metrics: ['water.volume_index', 'water.flow'],
        expectedIntervalS: 900,
        installedAt: '2024-03-01',
      },
    });
  });

  it('should read location and external ids, in any column order', () => {
    const csv =
      'lat,lon,devEui,deviceId,tenant,site,domain,kind,model,metrics,expectedIntervalS,installedAt,serialNumber\n' +
      '48.85,2.35,0011223344556677,wm-0002,commune-a,s,water,water_meter,M,water.volume_index,60,2024-01-01,SN-9\n';
    const [row] = rowsOf(csv);
    expect(row && 'draft' in row && row.draft).toMatchObject({
      location: { lat: 48.85, lon: 2.35 },
      externalIds: { devEui: '0011223344556677', serialNumber: 'SN-9' },
    });
  });

  it('should report each bad row with its line number and one error per bad field', () => {
    const csv = [
      HEADER,
      GOOD,
      'Bad_Id,commune-a,school-1,water,water_meter,M,water.volume_index,900,2024-03-01,,,',
      'wm-0003,commune-a,school-1,water,bike_counter,M,water.nope,zero,2024-13-45,,,',
      'wm-0004,commune-a,school-1,water,water_meter,M,water.flow,900,2024-03-01,48.8,,',
      'wm-0005,commune-a,school-1,water,water_meter,M,water.flow,900,2024-03-01,100,2,XYZ',
      'wm-0006,commune-a,school-1',
    ].join('\n');
    const rows = rowsOf(csv);
    const errorsOf = (line: number) => {
      const row = rows.find((r) => r.line === line);
      return row && 'errors' in row ? row.errors.map((e) => e.field).sort() : [];
    };
    expect(rows).toHaveLength(6);
    expect(rows[0]).toHaveProperty('draft');
    expect(errorsOf(3)).toEqual(['deviceId']);
    expect(errorsOf(4)).toEqual(['domain', 'expectedIntervalS', 'installedAt', 'metrics']);
    expect(errorsOf(5)).toEqual(['lon']);
    expect(errorsOf(6)).toEqual(['devEui', 'lat']);
    expect(errorsOf(7)).toEqual(['row']);
    expect(rows.find((r) => r.line === 3)).toMatchObject({ deviceId: 'Bad_Id' });
  });

  it('should name an unknown metric and a kind outside the domain', () => {
    const csv = `${HEADER}\nwm-0003,commune-a,school-1,water,bike_counter,M,water.nope,60,2024-13-45,,,\n`;
    const [row] = rowsOf(csv);
    expect(row && 'errors' in row && row.errors).toEqual(
      expect.arrayContaining([
        { field: 'metrics', message: '"water.nope" is not in the metric catalogue' },
        { field: 'installedAt', message: expect.any(String) },
        { field: 'domain', message: 'a bike_counter belongs to mobility' },
      ]),
    );
  });

  it('should report every field error of a row at once, a lat/lon error included', () => {
    const header = `${HEADER},meterRole,floorAreaM2`;
    const csv = `${header}\nwm-0007,commune-a,school-1,energy,water_meter,M,water.flow|energy.nope,-60,2024-03-01,48.8,,,production,big\n`;
    const [row] = rowsOf(csv);
    expect(row && 'errors' in row && row.errors).toEqual(
      expect.arrayContaining([
        { field: 'lon', message: 'lat and lon go together: give both or neither' },
        { field: 'floorAreaM2', message: '"big" is not a number' },
        { field: 'expectedIntervalS', message: 'must be at least 1' },
        { field: 'metrics', message: '"energy.nope" is not in the metric catalogue' },
        { field: 'domain', message: 'a water_meter belongs to water' },
        { field: 'metrics', message: 'water.flow is not a energy metric' },
        { field: 'meterRole', message: 'only water meters have a meter role' },
      ]),
    );
    // Each problem once, although the contract and the cross-field pass both see some of them.
    const keys = row && 'errors' in row ? row.errors.map((e) => `${e.field}:${e.message}`) : [];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should report a kind outside its domain even when every other cell is good', () => {
    const csv = `${HEADER}\nwm-0008,commune-a,school-1,water,bike_counter,M,water.flow,900,2024-03-01,,,\n`;
    const [row] = rowsOf(csv);
    expect(row && 'errors' in row && row.errors).toEqual(
      expect.arrayContaining([{ field: 'domain', message: 'a bike_counter belongs to mobility' }]),
    );
  });

  it('should mark the second row of a device id invalid, pointing at the first', () => {
    const rows = rowsOf(`${HEADER}\n${GOOD}\n${GOOD}\n`);
    expect(rows[0]).toHaveProperty('draft');
    expect(rows[1]).toEqual({
      line: 3,
      deviceId: 'wm-0001',
      errors: [{ field: 'deviceId', message: 'already on line 2 of this file' }],
    });
  });

  it("should refuse an operator's row of another tenant", () => {
    const [row] = rowsOf(`${HEADER}\n${GOOD}\n`, 'commune-b');
    expect(row && 'errors' in row && row.errors).toEqual([
      { field: 'tenant', message: 'you may import devices of tenant commune-b only' },
    ]);
  });

  it('should refuse the whole file for an unknown or missing column, an empty file or no data row', () => {
    expect(planImport('deviceId,colour\n')).toMatchObject({ ok: false });
    const header = readCsvHeader(['deviceId', 'colour', 'deviceId']);
    // Derived from the device draft's required fields.
    expect(REQUIRED_CSV_COLUMNS).toEqual([
      'deviceId',
      'tenant',
      'site',
      'domain',
      'kind',
      'model',
      'metrics',
      'expectedIntervalS',
      'installedAt',
    ]);
    expect(header.ok === false && header.errors.map((e) => e.field)).toEqual([
      'colour',
      'deviceId',
      ...REQUIRED_CSV_COLUMNS.filter((c) => c !== 'deviceId'),
    ]);
    expect(planImport('')).toEqual({
      ok: false,
      errors: [{ line: 1, field: 'file', message: 'the file is empty; a header row is required' }],
    });
    expect(planImport(`${HEADER}\n`)).toMatchObject({ ok: false, errors: [{ field: 'file' }] });
    expect(planImport(`${HEADER}\n"broken\n`)).toMatchObject({
      ok: false,
      errors: [{ line: 2, field: 'file' }],
    });
  });

  it(`should refuse a file of more than ${MAX_IMPORT_ROWS} rows`, () => {
    const csv = `${HEADER}\n${`${GOOD}\n`.repeat(MAX_IMPORT_ROWS + 1)}`;
    expect(planImport(csv)).toMatchObject({ ok: false, errors: [{ field: 'file' }] });
  });
});

describe('resolvePlannedRow and compareWithExisting', () => {
  const [planned] = rowsOf(`${HEADER}\n${GOOD}\n`);
  if (!planned || !('draft' in planned)) throw new Error('fixture row must be valid');

  it('should create a device the registry does not have', () => {
    expect(resolvePlannedRow(planned, undefined)).toBe('create');
  });

  it('should call a device with the same fields unchanged, whatever its state and metric order', () => {
    const existing = waterMeter({ metrics: ['water.flow', 'water.volume_index'], state: 'active' });
    expect(resolvePlannedRow(planned, existing)).toEqual({
      line: 2,
      deviceId: 'wm-0001',
      status: 'unchanged',
      errors: [],
    });
  });

  it('should list each differing field of a conflict', () => {
    const existing = waterMeter({
      metrics: ['water.volume_index', 'water.flow'],
      model: 'Other',
      location: { lat: 1, lon: 2 },
    });
    const result = resolvePlannedRow(planned, existing);
    expect(result !== 'create' && result.status).toBe('conflict');
    expect(result !== 'create' && result.errors.map((e) => e.field)).toEqual(['model', 'lat', 'lon']);
    const comparison = compareWithExisting(planned.draft, existing);
    expect(comparison.status === 'conflict' && comparison.errors[0]?.message).toBe(
      'the registry has "Other", the file has "Acme WM-1"; an import never changes a device',
    );
  });

  it("should not describe another tenant's device to an operator", () => {
    const theirs = waterMeter({ tenant: 'commune-b', model: 'Secret' });
    const [mine] = rowsOf(`${HEADER}\n${GOOD}\n`, 'commune-a');
    if (!mine || !('draft' in mine)) throw new Error('fixture row must be valid');
    expect(resolvePlannedRow(mine, theirs, { tenant: 'commune-a' })).toEqual({
      line: 2,
      deviceId: 'wm-0001',
      status: 'conflict',
      errors: [{ field: 'deviceId', message: 'a device with this id already exists' }],
    });
  });
});
