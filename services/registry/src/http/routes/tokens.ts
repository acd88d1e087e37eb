import { randomBytes } from 'node:crypto';
import { hashToken } from '../auth.js';
import { ApiError, parseOr400 } from '../errors.js';
import type { RouteModule } from '../route-context.js';
import { TokenCreate, TokenCreated } from '../schemas/common.js';

export const tokenRoutes: RouteModule = (app, ctx) => {
  ctx.openapi.add({
    method: 'post',
    path: '/api/v1/tokens',
    tag: 'auth',
    summary: 'Create an API token (admin); the token is shown once',
    body: TokenCreate,
    responses: {
      201: { description: 'Created', schema: TokenCreated },
      403: { description: 'Not an admin' },
      409: { description: 'A token with this name exists' },
    },
  });
  app.post('/api/v1/tokens', async (request, reply) => {
    const actor = ctx.principal(request, 'admin');
    const body = parseOr400(TokenCreate, request.body, 'token');
    // 256 random bits, prefixed so that a leaked token is recognizable by secret scanners.
    const token = `tpr_${randomBytes(32).toString('base64url')}`;
    const record = {
      name: body.name,
      role: body.role,
      tenant: body.tenant ?? null,
      createdAt: ctx.now().toISOString(),
    };
    const created = await ctx.tokens.create(hashToken(token), record, {
      actor,
      action: 'token.create',
      target: `token:${body.name}`,
      before: null,
      after: record,
      tenant: record.tenant,
    });
    if (!created) throw new ApiError('conflict', `a token named ${body.name} exists`);
    ctx.metrics.lifecycleChanges.inc({ action: 'token.create' });
    reply.code(201);
    return { token, name: record.name, role: record.role, tenant: record.tenant };
  });
};
