import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';

/** services/registry/console, from src/http/routes or dist/http/routes alike. */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../../console/', import.meta.url));

/**
 * The console's policy: its own files only, no inline script or style, no framing. The page also
 * carries it in a <meta> tag, so it holds even behind a proxy that drops the header.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/**
 * Loads the console's files once, at startup: a request can only ever get one of these (looked up
 * by exact path), so no URL can reach outside the folder, and a file of an unknown type is never
 * served. A few tens of kilobytes, so memory is not a concern.
 */
export function loadConsoleFiles(root: string = CONSOLE_ROOT): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const type = CONTENT_TYPES[extname(entry.name)];
    if (type === undefined) continue;
    const full = join(entry.parentPath, entry.name);
    const body = readFileSync(full);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(relative(root, full).split(sep).join('/'), { body, type, etag });
  }
  return files;
}

/**
 * GET /console/ and its files: the operator console, public (the page asks for a token and sends
 * it to the API itself). `no-cache` + ETag: a browser revalidates, so a new version shows at once.
 */
export function consoleRoutes(app: FastifyInstance, options: { root?: string } = {}): void {
  const files = loadConsoleFiles(options.root);
  app.get('/console', async (_request, reply) => reply.redirect('/console/', 301));
  app.get<{ Params: { '*': string } }>('/console/*', async (request, reply) => {
    const path = request.params['*'] === '' ? 'index.html' : request.params['*'];
    const file = files.get(path);
    if (file === undefined) throw notFound(`console file ${path}`);
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .header('etag', file.etag);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  });
}
