import { parseOr400 } from '../errors.js';
import type { RouteModule } from '../route-context.js';
import { AuditList, AuditQuerySchema } from '../schemas/common.js';

export const auditRoutes: RouteModule = (app, ctx) => {
  ctx.openapi.add({
    method: 'get',
    path: '/api/v1/audit',
    tag: 'audit',
    summary: 'Audit log, newest first (admin: all; operator: own tenant; viewer: 403)',
    query: AuditQuerySchema,
    responses: { 200: { description: 'Entries', schema: AuditList }, 403: { description: 'Viewer' } },
  });
  app.get('/api/v1/audit', async (request) => {
    const principal = ctx.principal(request, 'audit');
    const query = parseOr400(AuditQuerySchema, request.query, 'query');
    const entries = await ctx.audit.list({
      limit: query.limit,
      ...(query.deviceId !== undefined ? { deviceId: query.deviceId } : {}),
      ...(principal.tenant !== null ? { tenant: principal.tenant } : {}),
    });
    return {
      items: entries.map(({ tenant: _tenant, ...entry }) => entry),
    };
  });
};
