import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, CONSOLE_ROOT, consoleRoutes, loadConsoleFiles } from '../src/http/routes/console.js';

let app: FastifyInstance;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(root, 'js'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'js', 'main.js'), 'export {};');
  writeFileSync(join(root, 'notes.txt'), 'not served');
  app = Fastify();
  consoleRoutes(app, { root });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('console static route', () => {
  it('should serve the page with its content security policy and a revalidation tag', async () => {
    const page = await app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const again = await app.inject({
      method: 'GET',
      url: '/console/',
      headers: { 'if-none-match': String(page.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('should serve modules as JavaScript and redirect /console to /console/', async () => {
    const script = await app.inject({ method: 'GET', url: '/console/js/main.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const bare = await app.inject({ method: 'GET', url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('should answer 404 for files of other types and paths outside the folder', async () => {
    for (const url of [
      '/console/notes.txt',
      '/console/../package.json',
      '/console/%2e%2e/src/main.ts',
      '/console/x.js',
    ]) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('should find the real console next to src/ with its page, styles and modules', () => {
    const files = loadConsoleFiles(CONSOLE_ROOT);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['index.html', 'styles.css', 'js/main.js']));
  });
});
