import { z } from 'zod';
import { ImportStatus } from '../../domain/csv-import-status.js';
import type { ImportJobs } from '../../jobs/import-job.js';
import { ApiError, parseOr400 } from '../errors.js';
import type { RouteModule } from '../route-context.js';

/** A CSV of a few thousand devices fits easily; more is a job for several files. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

const ImportParams = z.strictObject({ id: z.uuid() });
const ImportAccepted = z
  .object({ importId: z.uuid() })
  .describe('The import is queued; poll GET /api/v1/imports/{id}');

/**
 * POST /api/v1/imports (text/csv) and GET /api/v1/imports/:id. The file is checked before it is
 * queued, so a broken header or quoting is a 400 at once; row problems are reported per row by the
 * job. An operator imports into their own tenant only (other rows are row errors).
 */
export function importRoutes(jobs: ImportJobs): RouteModule {
  return (app, ctx) => {
    app.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: MAX_CSV_BYTES },
      (_request, body, done) => done(null, body),
    );

    ctx.openapi.add({
      method: 'post',
      path: '/api/v1/imports',
      tag: 'imports',
      summary: 'Bulk import devices from a CSV file (header row required; see the README for the columns)',
      body: z.string().describe('CSV, UTF-8, at most 5 MiB'),
      bodyContentType: 'text/csv',
      responses: {
        202: { description: 'Queued', schema: ImportAccepted },
        403: { description: 'Viewer' },
        413: { description: 'File larger than 5 MiB' },
      },
    });
    app.post('/api/v1/imports', { bodyLimit: MAX_CSV_BYTES }, async (request, reply) => {
      const principal = ctx.principal(request, 'write');
      if (typeof request.body !== 'string') {
        throw new ApiError('invalid_request', 'send the file with Content-Type: text/csv');
      }
      const submitted = await jobs.submit(request.body, principal);
      if (!submitted.ok) {
        throw new ApiError(
          'invalid_request',
          'the file cannot be imported',
          submitted.errors.map((e) => ({ path: e.field, message: `line ${e.line}: ${e.message}` })),
        );
      }
      ctx.logger.info('import queued', { importId: submitted.importId, by: principal.name });
      return reply.code(202).send({ importId: submitted.importId });
    });

    ctx.openapi.add({
      method: 'get',
      path: '/api/v1/imports/{id}',
      tag: 'imports',
      summary: 'Progress and per-row results of an import',
      params: ImportParams,
      responses: {
        200: { description: 'Status', schema: ImportStatus },
        404: { description: 'No such import' },
      },
    });
    app.get('/api/v1/imports/:id', async (request) => {
      const principal = ctx.principal(request, 'read');
      const { id } = parseOr400(ImportParams, request.params, 'path');
      const status = await jobs.status(id, principal);
      if (status === undefined) throw new ApiError('not_found', `no import ${id}`);
      return status;
    });
  };
}
