import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineServices } from '../src/pipeline/pipeline-services.js';
import { startServiceProcess } from '../src/pipeline/service-process.js';

describe('service processes', () => {
  it('runs a service with its Node.js flags before its script, and its arguments after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-service-process-'));
    const script = join(dir, 'print-argv.mjs');
    writeFileSync(
      script,
      'console.log(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2) }));\n',
    );
    const p = startServiceProcess({
      name: 'print-argv',
      script,
      nodeArgs: ['--max-semi-space-size=64'],
      args: ['--flag-of-the-script'],
      env: { PATH: process.env.PATH ?? '' },
      logFile: join(dir, 'print-argv.log'),
    });
    try {
      expect(await p.exit).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'print-argv.log'), 'utf8'))).toEqual({
        execArgv: ['--max-semi-space-size=64'],
        argv: ['--flag-of-the-script'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the aggregator, and only it, a larger young generation', () => {
    const flags = Object.fromEntries(pipelineServices('/repo').map((s) => [s.name, s.nodeArgs ?? []]));
    expect(flags.aggregator).toEqual(['--max-semi-space-size=64', '--single-threaded-gc']);
    for (const name of ['influx-writer', 'validator', 'mqtt-bridge'])
      expect(flags[name], name).not.toContain('--max-semi-space-size=64');
  });

  it('runs the data-plane services, and only them, with garbage collection on their own thread', () => {
    const flags = Object.fromEntries(pipelineServices('/repo').map((s) => [s.name, s.nodeArgs ?? []]));
    for (const name of ['influx-writer', 'aggregator', 'validator', 'mqtt-bridge'])
      expect(flags[name], name).toContain('--single-threaded-gc');
    for (const name of ['registry', 'indicators']) expect(flags[name], name).toEqual([]);
  });
});
