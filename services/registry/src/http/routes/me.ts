import type { RouteModule } from '../route-context.js';
import { Me } from '../schemas/common.js';

export const meRoutes: RouteModule = (app, ctx) => {
  ctx.openapi.add({
    method: 'get',
    path: '/api/v1/me',
    tag: 'auth',
    summary: 'Who the token belongs to',
    responses: { 200: { description: 'The caller', schema: Me } },
  });
  app.get('/api/v1/me', async (request) => {
    const p = ctx.principal(request);
    return { name: p.name, role: p.role, tenant: p.tenant };
  });
};
