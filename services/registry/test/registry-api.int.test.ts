import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceDraft, RegistryHarness, uniqueName, waitFor } from './registry-harness.js';

describe('registry HTTP API against real Redis and Kafka', () => {
  const h = new RegistryHarness();
  const tenantA = uniqueName('commune-a');
  const tenantB = uniqueName('commune-b');
  let operatorA: string;
  let viewerA: string;
  let operatorB: string;

  beforeAll(async () => {
    await h.start();
    [operatorA, viewerA, operatorB] = await Promise.all([
      h.token('operator', tenantA),
      h.token('viewer', tenantA),
      h.token('operator', tenantB),
    ]);
  });
  afterAll(async () => h.close());

  it('a request without a token should get 401 with the error body', async () => {
    const r = await h.api('GET', '/api/v1/devices', { token: null });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    expect((await h.api('GET', '/api/v1/me', { token: `tpr_${'x'.repeat(43)}` })).status).toBe(401);
  });

  it('GET /me should say who the token belongs to', async () => {
    expect((await h.api('GET', '/api/v1/me')).body).toEqual({ name: 'admin', role: 'admin', tenant: null });
    expect((await h.api('GET', '/api/v1/me', { token: viewerA })).body).toMatchObject({
      role: 'viewer',
      tenant: tenantA,
    });
  });

  it("a viewer's write should get 403, and a viewer cannot read the audit log", async () => {
    const r = await h.api('POST', '/api/v1/devices', { token: viewerA, body: deviceDraft(tenantA) });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('forbidden');
    expect((await h.api('GET', '/api/v1/audit', { token: viewerA })).status).toBe(403);
  });

  it('only an admin should create tokens, and an operator token needs a tenant', async () => {
    expect(
      (
        await h.api('POST', '/api/v1/tokens', {
          token: operatorA,
          body: { name: 'x', role: 'viewer', tenant: tenantA },
        })
      ).status,
    ).toBe(403);
    const r = await h.api('POST', '/api/v1/tokens', { body: { name: uniqueName('op'), role: 'operator' } });
    expect(r.status).toBe(400);
    expect(r.body.issues).toContainEqual({ path: 'tenant', message: expect.stringMatching(/tenant/) });
  });

  it('an invalid body should get 400 with its field errors', async () => {
    const r = await h.api('POST', '/api/v1/devices', {
      token: operatorA,
      body: deviceDraft(tenantA, { deviceId: 'Bad/Id', expectedIntervalS: 0, color: 'red' }),
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
    const paths = r.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['deviceId', 'expectedIntervalS']));
    expect(r.body.issues.some((i: { message: string }) => /color/.test(i.message))).toBe(true);
  });

  it('a kind outside its domain should get 400 on the domain field', async () => {
    const r = await h.api('POST', '/api/v1/devices', {
      token: operatorA,
      body: deviceDraft(tenantA, { kind: 'bike_counter' }),
    });
    expect(r.status).toBe(400);
    expect(r.body.issues).toContainEqual({ path: 'domain', message: expect.stringMatching(/bike_counter/) });
  });

  it('a body that is not JSON, or too large, should get a 4xx error body and the service keeps running', async () => {
    const broken = await h.api('POST', '/api/v1/devices', { token: operatorA, body: '{"deviceId":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_request');
    const huge = await h.api('POST', '/api/v1/devices', {
      token: operatorA,
      body: { ...deviceDraft(tenantA), model: 'x'.repeat(1_100_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('payload_too_large');
    expect((await h.api('GET', '/api/v1/me')).status).toBe(200);
  });

  it("an operator cannot see another tenant's devices: 404 on read and write, filtered list", async () => {
    const draftB = deviceDraft(tenantB);
    expect((await h.api('POST', '/api/v1/devices', { token: operatorB, body: draftB })).status).toBe(201);
    const draftA = deviceDraft(tenantA);
    expect((await h.api('POST', '/api/v1/devices', { token: operatorA, body: draftA })).status).toBe(201);

    const get = await h.api('GET', `/api/v1/devices/${draftB.deviceId}`, { token: operatorA });
    expect(get.status).toBe(404);
    expect(get.body.error).toBe('not_found');
    expect(
      (await h.api('PATCH', `/api/v1/devices/${draftB.deviceId}`, { token: operatorA, body: { model: 'x' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await h.api('POST', `/api/v1/devices/${draftB.deviceId}/suspend`, {
          token: operatorA,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);

    const list = await h.api('GET', '/api/v1/devices?limit=500', { token: operatorA });
    const ids = list.body.items.map((v: { device: { deviceId: string } }) => v.device.deviceId);
    expect(ids).toContain(draftA.deviceId);
    expect(ids).not.toContain(draftB.deviceId);
    expect(list.body.items.every((v: { device: { tenant: string } }) => v.device.tenant === tenantA)).toBe(
      true,
    );
    const asked = await h.api('GET', `/api/v1/devices?tenant=${tenantB}`, { token: operatorA });
    expect(asked.body.items).toEqual([]);

    const created = await h.api('POST', '/api/v1/devices', { token: operatorA, body: deviceDraft(tenantB) });
    expect(created.status).toBe(403);

    const adminList = await h.api('GET', `/api/v1/devices?tenant=${tenantB}`);
    expect(adminList.body.items.map((v: { device: { deviceId: string } }) => v.device.deviceId)).toEqual([
      draftB.deviceId,
    ]);
  });

  it('creating a device twice should get 409, and list filters and paging should work', async () => {
    const tenant = uniqueName('paging');
    const drafts = [0, 1, 2, 3, 4].map((i) =>
      deviceDraft(tenant, { deviceId: `${tenant}-dev${i}`, site: i % 2 ? 'odd' : 'even' }),
    );
    for (const d of drafts) expect((await h.api('POST', '/api/v1/devices', { body: d })).status).toBe(201);
    const again = await h.api('POST', '/api/v1/devices', { body: drafts[0] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'conflict', message: expect.stringContaining('exists') });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `/api/v1/devices?tenant=${tenant}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await h.api('GET', query);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((v: { device: { deviceId: string } }) => v.device.deviceId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(drafts.map((d) => d.deviceId));
    const odd = await h.api('GET', `/api/v1/devices?tenant=${tenant}&site=odd`);
    expect(odd.body.items).toHaveLength(2);
    // "dev3": a letter the random hex of the tenant name cannot hold, so only one id matches.
    const q = await h.api('GET', `/api/v1/devices?tenant=${tenant}&q=DEV3`);
    expect(q.body.items.map((v: { device: { deviceId: string } }) => v.device.deviceId)).toEqual([
      `${tenant}-dev3`,
    ]);
    expect((await h.api('GET', '/api/v1/devices?limit=501')).status).toBe(400);
  });

  it('every change should reach the compacted topic through the outbox, in order, with an audit entry', async () => {
    const records = await h.collectTopic();
    const draft = deviceDraft(tenantA);
    const id = draft.deviceId;
    expect((await h.api('POST', '/api/v1/devices', { token: operatorA, body: draft })).status).toBe(201);
    const patched = await h.api('PATCH', `/api/v1/devices/${id}`, {
      token: operatorA,
      body: { model: 'Acme WM-2', expectedIntervalS: 600 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.device).toMatchObject({
      model: 'Acme WM-2',
      expectedIntervalS: 600,
      tenant: tenantA,
    });
    expect(
      (await h.api('PATCH', `/api/v1/devices/${id}`, { token: operatorA, body: { tenant: tenantB } })).status,
    ).toBe(400);
    expect(
      (
        await h.api('POST', `/api/v1/devices/${id}/suspend`, {
          token: operatorA,
          body: { reason: 'meter stolen' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await h.api('POST', `/api/v1/devices/${id}/resume`, { token: operatorA })).body.device.state,
    ).toBe('registered');
    const gone = await h.api('POST', `/api/v1/devices/${id}/decommission`, {
      token: operatorA,
      body: { reason: 'replaced' },
    });
    expect(gone.body.device).toMatchObject({ state: 'decommissioned', stateReason: 'replaced' });
    const refused = await h.api('POST', `/api/v1/devices/${id}/suspend`, {
      token: operatorA,
      body: { reason: 'x' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/decommissioned/);

    const mine = await waitFor(() => {
      const r = records.filter((m) => m.key === id);
      return r.length >= 5 ? r : undefined;
    }, 'five records of the device on the registry topic');
    expect(mine.map((m) => [m.value?.state, m.value?.model])).toEqual([
      ['registered', 'Acme WM-1'],
      ['registered', 'Acme WM-2'],
      ['suspended', 'Acme WM-2'],
      ['registered', 'Acme WM-2'],
      ['decommissioned', 'Acme WM-2'],
    ]);
    expect(new Set(mine.map((m) => m.partition)).size).toBe(1);

    const audit = await h.api('GET', `/api/v1/audit?deviceId=${id}`, { token: operatorA });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'device.decommission',
      'device.resume',
      'device.suspend',
      'device.patch',
      'device.create',
    ]);
    const patch = audit.body.items[3];
    expect(patch.actor).toEqual({ name: expect.stringMatching(/^operator-/), role: 'operator' });
    expect(patch.before).toMatchObject({ model: 'Acme WM-1' });
    expect(patch.after).toMatchObject({ model: 'Acme WM-2' });
    expect(audit.body.items[4].before).toBeNull();

    const otherTenant = await h.api('GET', `/api/v1/audit?deviceId=${id}`, { token: operatorB });
    expect(otherTenant.body.items).toEqual([]);
    const all = await h.api('GET', '/api/v1/audit?limit=500');
    expect(all.body.items.some((e: { action: string }) => e.action === 'token.create')).toBe(true);
  });

  it('PATCH with null should remove optional fields, validated, audited and through the outbox', async () => {
    const records = await h.collectTopic();
    const draft = deviceDraft(tenantA, {
      floorAreaM2: 1200,
      meterRole: 'production',
      timezone: 'Europe/Paris',
    });
    const id = draft.deviceId;
    expect((await h.api('POST', '/api/v1/devices', { token: operatorA, body: draft })).status).toBe(201);
    const cleared = ['siteName', 'location', 'externalIds', 'meterRole', 'floorAreaM2', 'timezone'];
    const patched = await h.api('PATCH', `/api/v1/devices/${id}`, {
      token: operatorA,
      body: Object.fromEntries(cleared.map((field) => [field, null])),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    for (const field of cleared) expect(patched.body.device).not.toHaveProperty(field);
    expect(patched.body.device).toMatchObject({ model: 'Acme WM-1', site: 'school-1', state: 'registered' });

    // A required field cannot be removed; a value and a null are checked like any patch.
    const required = await h.api('PATCH', `/api/v1/devices/${id}`, {
      token: operatorA,
      body: { model: null, expectedIntervalS: null, meterRole: 'nope' },
    });
    expect(required.status).toBe(400);
    expect(required.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'expectedIntervalS',
      'meterRole',
      'model',
    ]);
    // Clearing what is already absent changes nothing and writes no audit entry.
    const again = await h.api('PATCH', `/api/v1/devices/${id}`, {
      token: operatorA,
      body: { siteName: null },
    });
    expect(again.body.device.updatedAt).toBe(patched.body.device.updatedAt);

    const audit = await h.api('GET', `/api/v1/audit?deviceId=${id}`, { token: operatorA });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'device.patch',
      'device.create',
    ]);
    expect(audit.body.items[0].before).toMatchObject({ siteName: draft.siteName, meterRole: 'production' });
    for (const field of cleared) expect(audit.body.items[0].after).not.toHaveProperty(field);

    const mine = await waitFor(() => {
      const r = records.filter((m) => m.key === id);
      return r.length >= 2 ? r : undefined;
    }, 'two records of the device on the registry topic');
    expect(mine[0]?.value).toMatchObject({ siteName: draft.siteName, floorAreaM2: 1200 });
    for (const field of cleared) expect(mine[1]?.value).not.toHaveProperty(field);
  });

  it('should serve an OpenAPI 3.1 document generated from the schemas', async () => {
    const r = await h.api('GET', '/openapi.json', { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const create = r.body.paths['/api/v1/devices'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.properties.deviceId.pattern).toBe('^[a-z0-9][a-z0-9-]{1,62}$');
    expect(schema.required).toEqual(expect.arrayContaining(['deviceId', 'tenant', 'kind', 'metrics']));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/devices/{id}/provision',
        '/api/v1/tokens',
        '/api/v1/audit',
        '/api/v1/me',
      ]),
    );
  });

  it('should answer unknown routes with the error body', async () => {
    const r = await h.api('GET', '/api/v1/nothing');
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('not_found');
  });
});
