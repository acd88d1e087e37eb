import { DeviceRecord } from '@terrapulse/contracts';
import { canSeeTenant, scopeExcludesAll, tenantScope } from '../../domain/access.js';
import { registerDevice } from '../../domain/lifecycle.js';
import { ApiError, fieldIssues, parseOr400 } from '../errors.js';
import type { RouteContext, RouteModule } from '../route-context.js';
import {
  applyPatch,
  DeviceDraft,
  DeviceIdParams,
  DeviceList,
  DeviceListQuery,
  DevicePatch,
  DeviceView,
} from '../schemas/device.js';

/** A record composed from operator input, checked with the contract's cross-field rules. */
function checkedRecord(record: DeviceRecord): DeviceRecord {
  const parsed = DeviceRecord.safeParse(record);
  if (!parsed.success) throw new ApiError('invalid_request', 'invalid device', fieldIssues(parsed.error));
  return record;
}

export async function viewOf(ctx: RouteContext, device: DeviceRecord) {
  return { device, health: await ctx.health.get(device) };
}

export const deviceRoutes: RouteModule = (app, ctx) => {
  const doc = (d: Parameters<typeof ctx.openapi.add>[0]) => ctx.openapi.add(d);
  doc({
    method: 'get',
    path: '/api/v1/devices',
    tag: 'devices',
    summary: 'List devices (operators and viewers: their tenant only)',
    query: DeviceListQuery,
    responses: { 200: { description: 'A page of devices', schema: DeviceList } },
  });
  app.get('/api/v1/devices', async (request) => {
    const principal = ctx.principal(request);
    const query = parseOr400(DeviceListQuery, request.query, 'query');
    if (scopeExcludesAll(principal, query.tenant)) return { items: [], nextCursor: null };
    const { limit, cursor, tenant: _t, ...filters } = query;
    const tenant = tenantScope(principal, query.tenant);
    const page = await ctx.store.list(
      { ...filters, ...(tenant !== undefined ? { tenant } : {}) },
      { limit, ...(cursor !== undefined ? { cursor } : {}) },
    );
    return {
      items: await Promise.all(page.items.map((d) => viewOf(ctx, d))),
      nextCursor: page.nextCursor,
    };
  });

  doc({
    method: 'post',
    path: '/api/v1/devices',
    tag: 'devices',
    summary: 'Register a device (state registered)',
    body: DeviceDraft,
    responses: {
      201: { description: 'Registered', schema: DeviceView },
      403: { description: 'Viewer, or another tenant' },
      409: { description: 'The deviceId exists' },
    },
  });
  app.post('/api/v1/devices', async (request, reply) => {
    const principal = ctx.principal(request, 'write');
    const draft = parseOr400(DeviceDraft, request.body, 'device');
    if (!canSeeTenant(principal, draft.tenant)) {
      throw new ApiError('forbidden', `this token may only register devices of tenant ${principal.tenant}`);
    }
    const record = checkedRecord(registerDevice(draft, ctx.now()));
    const result = await ctx.store.commit({
      deviceId: record.deviceId,
      expected: null,
      next: record,
      audit: {
        actor: principal,
        action: 'device.create',
        target: `device:${record.deviceId}`,
        before: null,
        after: record,
        tenant: record.tenant,
      },
    });
    if (!result.ok) throw new ApiError('conflict', `device ${record.deviceId} exists`);
    ctx.metrics.lifecycleChanges.inc({ action: 'device.create' });
    reply.code(201);
    return viewOf(ctx, record);
  });

  doc({
    method: 'get',
    path: '/api/v1/devices/{id}',
    tag: 'devices',
    summary: 'One device with its health',
    params: DeviceIdParams,
    responses: { 200: { description: 'The device', schema: DeviceView }, 404: { description: 'Unknown' } },
  });
  app.get('/api/v1/devices/:id', async (request) => {
    const { device } = await ctx.requestedDevice(request, 'read');
    return viewOf(ctx, device);
  });

  doc({
    method: 'patch',
    path: '/api/v1/devices/{id}',
    tag: 'devices',
    summary: 'Change descriptive fields (not deviceId, tenant or state); null removes an optional one',
    params: DeviceIdParams,
    body: DevicePatch,
    responses: {
      200: { description: 'Changed', schema: DeviceView },
      404: { description: 'Unknown' },
      409: { description: 'Decommissioned, or changed concurrently' },
    },
  });
  app.patch('/api/v1/devices/:id', async (request) => {
    const { principal, id } = ctx.deviceRequest(request, 'write');
    const patch = parseOr400(DevicePatch, request.body ?? {}, 'patch');
    const current = await ctx.visibleDevice(principal, id);
    if (current.state === 'decommissioned') throw new ApiError('conflict', `device ${id} is decommissioned`);
    const merged = applyPatch(current, patch);
    if (JSON.stringify(merged) === JSON.stringify(current)) return viewOf(ctx, current);
    const next = checkedRecord({ ...merged, updatedAt: ctx.now().toISOString() });
    const result = await ctx.store.commit({
      deviceId: id,
      expected: current,
      next,
      audit: {
        actor: principal,
        action: 'device.patch',
        target: `device:${id}`,
        before: current,
        after: next,
        tenant: current.tenant,
      },
    });
    if (!result.ok) throw new ApiError('conflict', `device ${id} changed meanwhile; read it again`);
    ctx.metrics.lifecycleChanges.inc({ action: 'device.patch' });
    return viewOf(ctx, next);
  });
};
