import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, repositoryRoot, runningPid } from '@terrapulse/infra-runner';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const cli = resolve(repositoryRoot, 'infra/runner/src/cli.ts');
const tsx = resolve(repositoryRoot, 'node_modules/.bin/tsx');

async function infra(command: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(tsx, ['--conditions=source', cli, command], {
      cwd: repositoryRoot,
      timeout: 300_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function row(out: string, server: string): string {
  return out.split('\n').find((line) => line.startsWith(`${server} `)) ?? '';
}

describe('the native runner', () => {
  it('status reports every server healthy with its version and port', async () => {
    const { code, out } = await infra('status');
    expect(code).toBe(0);
    expect(row(out, 'mosquitto')).toMatch(/^mosquitto\s+2\.\d+\.\d+\s+\d+\s+\d+\s+healthy/);
    expect(row(out, 'redis')).toMatch(/^redis\s+\d+\.\d+\.\d+\s+\d+\s+\d+\s+healthy/);
    expect(row(out, 'influxdb')).toMatch(/^influxdb\s+1\.8\.\d+\s+\d+\s+\d+\s+healthy/);
    expect(row(out, 'kafka')).toMatch(/^kafka\s+4\.\d+\.\d+\s+\d+\s+\d+\s+healthy/);
  });

  it('starts influxd with the configured GC target in its environment', () => {
    const config = loadConfig(process.env, repositoryRoot);
    const pid = runningPid(config.paths.pidFile('influxdb'));
    expect(pid).toBeDefined();
    const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environment).toContain(`GOGC=${config.INFLUX_GOGC}`);
  });

  it('up is harmless when everything already runs', async () => {
    const { paths } = loadConfig(process.env, repositoryRoot);
    const before = runningPid(paths.pidFile('kafka'));
    const { code, out } = await infra('up');
    expect(code).toBe(0);
    expect(out).toMatch(/kafka: already running/);
    expect(runningPid(paths.pidFile('kafka'))).toBe(before);
  });

  it('status tells the truth when a server was stopped by hand, and up brings it back', async () => {
    const { paths } = loadConfig(process.env, repositoryRoot);
    const pid = runningPid(paths.pidFile('redis'));
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));

    const down = await infra('status');
    expect(down.code).toBe(1);
    expect(row(down.out, 'redis')).toMatch(/stopped/);
    expect(row(down.out, 'kafka')).toMatch(/healthy/);

    const again = await infra('up');
    expect(again.code).toBe(0);
    expect(row(again.out, 'redis')).toMatch(/healthy/);
  });
});
