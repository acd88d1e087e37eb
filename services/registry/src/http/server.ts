import { existsSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { MqttAccessUnavailableError } from '../ports/mqtt-access.js';
import { setPrincipal } from './auth.js';
import { ApiError } from './errors.js';
import type { RouteContext, RouteModule } from './route-context.js';
import { auditRoutes } from './routes/audit.js';
import { consoleRoutes } from './routes/console.js';
import { deviceRoutes } from './routes/devices.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { meRoutes } from './routes/me.js';
import { tokenRoutes } from './routes/tokens.js';

export const JSON_BODY_LIMIT = 1024 * 1024;

export interface HttpServerOptions {
  readonly ctx: RouteContext;
  readonly authenticate: (
    authorization: string | undefined,
  ) => Promise<import('../ports/actor.js').Principal>;
  /**
   * Route modules of other parts (A2's imports and health), registered after the core ones; the
   * imports module brings the text/csv body parser (5 MiB).
   */
  readonly extraRoutes?: readonly RouteModule[];
  /** The console's static files; not served when the folder does not exist. */
  readonly consoleDir?: string;
  readonly version: string;
}

/** Redis down shows up as these ioredis errors; the answer is 503 and nothing changed. */
function isRedisUnavailable(error: unknown): boolean {
  const e = error as { name?: string; message?: string; code?: string };
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ETIMEDOUT/.test(e?.message ?? '')
  );
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { ctx } = options;
  const app = Fastify({ logger: false, bodyLimit: JSON_BODY_LIMIT, return503OnClosing: true });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    setPrincipal(request, await options.authenticate(request.headers.authorization));
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
    let api: ApiError;
    if (error instanceof ApiError) api = error;
    else if (error instanceof MqttAccessUnavailableError) api = new ApiError('unavailable', error.message);
    else if (isRedisUnavailable(error))
      api = new ApiError('unavailable', 'Redis unreachable; nothing changed');
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      api = new ApiError('payload_too_large', 'body too large (JSON 1 MiB, CSV 5 MiB)');
    else if (error.statusCode === 415) {
      reply.code(415);
      return { error: 'invalid_request', message: error.message };
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      api = new ApiError('invalid_request', error.message);
    else {
      ctx.logger.error('request failed', { error, method: request.method, url: request.url });
      api = new ApiError('internal', 'internal error; see the registry logs');
    }
    if (api.code === 'unavailable') ctx.logger.warn('dependency unavailable', { error, url: request.url });
    reply.code(api.status);
    return api.body();
  });

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404);
    return { error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` };
  });

  ctx.openapi.add({
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This document',
    public: true,
    responses: { 200: { description: 'OpenAPI 3.1' } },
  });
  app.get('/openapi.json', async () =>
    ctx.openapi.document({ title: 'Terrapulse registry API', version: options.version }),
  );

  for (const module of [meRoutes, tokenRoutes, deviceRoutes, lifecycleRoutes, auditRoutes]) {
    await module(app, ctx);
  }
  for (const module of options.extraRoutes ?? []) await module(app, ctx);

  if (options.consoleDir !== undefined && existsSync(options.consoleDir)) {
    // A3's console (static files, no build step); public: the page asks for a token itself.
    consoleRoutes(app, { root: options.consoleDir });
  }
  return app;
}
