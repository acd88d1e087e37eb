import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportStatus } from '../src/domain/csv-import-status.js';
import { registryExtensions } from '../src/extensions.js';
import { type ApiAnswer, RegistryHarness, uniqueName, waitFor } from './registry-harness.js';

const HEADER =
  'deviceId,tenant,site,siteName,domain,kind,model,metrics,expectedIntervalS,installedAt,lat,lon,devEui';

interface ImportRow {
  line: number;
  deviceId: string | null;
  status: string;
  errors: Array<{ field: string; message: string }>;
}

describe('CSV bulk import against real Redis and Kafka', () => {
  const h = new RegistryHarness();
  const tenant = uniqueName('commune-a');
  const other = uniqueName('commune-b');
  const id = (n: number) => `${h.runId}-m${n}`;
  let operator: string;
  let viewer: string;

  const row = (n: number, overrides: Partial<Record<string, string>> = {}): string => {
    const cells = {
      deviceId: id(n),
      tenant,
      site: 'school-1',
      siteName: '"École Jean Moulin, bâtiment B"',
      domain: 'water',
      kind: 'water_meter',
      model: 'Acme WM-1',
      metrics: 'water.volume_index|water.flow',
      expectedIntervalS: '900',
      installedAt: '2024-03-01',
      lat: '45.76',
      lon: '4.84',
      devEui: '0011223344556677',
      ...overrides,
    };
    return Object.values(cells).join(',');
  };

  async function upload(csv: string, token = h.adminToken): Promise<ApiAnswer> {
    const response = await fetch(`${h.baseUrl}/api/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: response.status, body: await response.json() };
  }

  async function importAndWait(csv: string, token = h.adminToken): Promise<ImportStatus> {
    const accepted = await upload(csv, token);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    return waitFor(async () => {
      const r = await h.api('GET', `/api/v1/imports/${accepted.body.importId}`, { token });
      return r.body.state === 'completed' || r.body.state === 'failed' ? (r.body as ImportStatus) : undefined;
    }, 'the import to finish');
  }

  // Lines: 1 header, 2-4 good, 5 bad id, 6 bad kind/metric/interval, 7 lat without lon,
  // 8 duplicate of line 2, 9 too few cells, 10-11 good (a quoted cell with a line break), 12 good.
  const file = [
    HEADER,
    row(1),
    row(2),
    row(3, { lat: '', lon: '', devEui: '' }),
    row(4, { deviceId: 'Not_An_Id' }),
    row(5, { kind: 'bike_counter', metrics: 'water.nope', expectedIntervalS: '0' }),
    row(6, { lon: '' }),
    row(1),
    `${id(7)},${tenant},school-1`,
    row(8, { siteName: '"Station de pompage\nnord"' }),
    row(9),
  ].join('\n');

  beforeAll(async () => {
    await h.start({ ...registryExtensions });
    [operator, viewer] = await Promise.all([h.token('operator', tenant), h.token('viewer', tenant)]);
  });
  afterAll(async () => h.close());

  it('should import the good rows and report each bad one with its line number and field errors', async () => {
    const status = await importAndWait(file);
    expect(status).toMatchObject({
      state: 'completed',
      total: 10,
      processed: 10,
      created: 5,
      unchanged: 0,
      rejected: 5,
    });
    const rows = status.rows as ImportRow[];
    const byLine = new Map(rows.map((r) => [r.line, r]));
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
    for (const line of [2, 3, 4, 10, 12])
      expect(byLine.get(line)).toMatchObject({ status: 'created', errors: [] });
    const fields = (line: number) =>
      byLine
        .get(line)
        ?.errors.map((e) => e.field)
        .sort();
    expect(byLine.get(5)).toMatchObject({ status: 'invalid', deviceId: 'Not_An_Id' });
    expect(fields(5)).toEqual(['deviceId']);
    expect(byLine.get(6)?.status).toBe('invalid');
    expect(fields(6)).toEqual(expect.arrayContaining(['domain', 'expectedIntervalS', 'metrics']));
    expect(fields(7)).toEqual(['lon']);
    expect(byLine.get(8)).toMatchObject({
      status: 'invalid',
      deviceId: id(1),
      errors: [{ field: 'deviceId', message: 'already on line 2 of this file' }],
    });
    expect(fields(9)).toEqual(['row']);

    const device = await h.api('GET', `/api/v1/devices/${id(8)}`);
    expect(device.body.device).toMatchObject({
      state: 'registered',
      siteName: 'Station de pompage\nnord',
      metrics: ['water.volume_index', 'water.flow'],
      location: { lat: 45.76, lon: 4.84 },
      externalIds: { devEui: '0011223344556677' },
    });
    expect((await h.api('GET', `/api/v1/devices/${id(5)}`)).status).toBe(404);
    const audit = await h.api('GET', `/api/v1/audit?deviceId=${id(1)}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'device.import',
        actor: { name: 'admin', role: 'admin' },
        before: null,
      }),
    ]);
  });

  it('should record the import itself in the audit log: who, when, the file and the counts', async () => {
    const status = await importAndWait([HEADER, row(40), row(41, { expectedIntervalS: '-1' })].join('\n'));
    const all = await h.api('GET', '/api/v1/audit?limit=500');
    const mine = all.body.items.filter((e: { target: string }) => e.target === `import:${status.importId}`);
    expect(mine).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { name: 'admin', role: 'admin' },
        action: 'import.create',
        target: `import:${status.importId}`,
        before: null,
        after: {
          importId: status.importId,
          state: 'completed',
          submittedAt: expect.any(String),
          file: { bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rows: 2 },
          processed: 2,
          created: 1,
          unchanged: 0,
          rejected: 1,
        },
      },
    ]);
    expect(Date.parse(mine[0].at)).toBeGreaterThanOrEqual(Date.parse(mine[0].after.submittedAt));
  });

  it('should write an audit-only entry once per action, however often it is retried', async () => {
    const entry = {
      actor: { name: 'admin', role: 'admin' as const },
      action: 'import.create' as const,
      target: 'import:retried',
      before: null,
      after: { state: 'completed' },
      tenant: tenant,
    };
    const once = `import:${h.runId}-retried`;
    expect(await h.registry.ctx.audit.record(entry, once)).toBe(true);
    expect(await h.registry.ctx.audit.record(entry, once)).toBe(false);
    const seen = await h.api('GET', '/api/v1/audit?limit=500', { token: operator });
    expect(seen.body.items.filter((e: { target: string }) => e.target === 'import:retried')).toHaveLength(1);
  });

  it('should create nothing when the same file is imported again', async () => {
    const before = await h.api('GET', `/api/v1/devices/${id(1)}`);
    const status = await importAndWait(file);
    expect(status).toMatchObject({ state: 'completed', total: 10, created: 0, unchanged: 5, rejected: 5 });
    const unchanged = (status.rows as ImportRow[]).filter((r) => r.status === 'unchanged').map((r) => r.line);
    expect(unchanged).toEqual([2, 3, 4, 10, 12]);
    expect((await h.api('GET', `/api/v1/devices/${id(1)}`)).body.device).toEqual(before.body.device);
    expect((await h.api('GET', `/api/v1/audit?deviceId=${id(1)}`)).body.items).toHaveLength(1);
  });

  it('should report a row that differs from the registered device as a conflict naming the fields', async () => {
    const status = await importAndWait([HEADER, row(1, { model: 'Other WM-2', lat: '45.77' })].join('\n'));
    expect(status).toMatchObject({ created: 0, unchanged: 0, rejected: 1 });
    expect(status.rows[0]).toMatchObject({ line: 2, deviceId: id(1), status: 'conflict' });
    expect(status.rows[0]?.errors.map((e) => e.field)).toEqual(['model', 'lat']);
    expect((await h.api('GET', `/api/v1/devices/${id(1)}`)).body.device.model).toBe('Acme WM-1');
  });

  it("should keep an operator's import to their tenant, refuse a viewer, and hide imports across tenants", async () => {
    const status = await importAndWait([HEADER, row(20), row(21, { tenant: other })].join('\n'), operator);
    expect(status.rows).toEqual([
      { line: 2, deviceId: id(20), status: 'created', errors: [] },
      {
        line: 3,
        deviceId: id(21),
        status: 'invalid',
        errors: [{ field: 'tenant', message: `you may import devices of tenant ${tenant} only` }],
      },
    ]);
    const refused = await upload([HEADER, row(22)].join('\n'), viewer);
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });

    const adminImport = await upload([HEADER, row(23, { tenant: other })].join('\n'));
    const seenByOperator = await h.api('GET', `/api/v1/imports/${adminImport.body.importId}`, {
      token: operator,
    });
    expect(seenByOperator.status).toBe(404);

    // The operator sees their own import in the audit log, not the admin's of another tenant.
    const audit = await h.api('GET', '/api/v1/audit?limit=500', { token: operator });
    const imports = audit.body.items.filter((e: { action: string }) => e.action === 'import.create');
    const targets = imports.map((e: { target: string }) => e.target);
    expect(targets).toContain(`import:${status.importId}`);
    expect(targets).not.toContain(`import:${adminImport.body.importId}`);
  });

  it('should refuse a broken file at once with 400 and its problems, and a file over 5 MiB with 413', async () => {
    const badHeader = await upload('deviceId,colour\nx,y\n');
    expect(badHeader.status).toBe(400);
    expect(badHeader.body).toMatchObject({ error: 'invalid_request' });
    expect(badHeader.body.issues).toContainEqual({
      path: 'colour',
      message: expect.stringMatching(/^line 1: unknown column/),
    });

    const unclosed = await upload(`${HEADER}\n${row(30)}\n"never closed,`);
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.issues).toEqual([
      { path: 'file', message: 'line 3: a quoted cell is never closed' },
    ]);

    const json = await h.api('POST', '/api/v1/imports', { body: { rows: [] } });
    expect(json.status).toBe(400);

    const huge = await upload(`${HEADER}\n${'x'.repeat(5 * 1024 * 1024 + 1)}`);
    expect(huge).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect((await h.api('GET', '/api/v1/imports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('should describe the import and health routes in the OpenAPI document', async () => {
    const doc = (await h.api('GET', '/openapi.json', { token: null })).body;
    expect(doc.paths['/api/v1/imports'].post.requestBody.content).toHaveProperty('text/csv');
    expect(doc.paths['/api/v1/imports/{id}'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/devices/{id}/health'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/devices/{id}/readings'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'limit', in: 'query' }),
    );
  });
});
