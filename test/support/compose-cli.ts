import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { goInstall, repositoryRoot } from '@terrapulse/infra-runner';

/** The Compose release whose file model the tests check docker-compose.yml against. */
export const COMPOSE_VERSION = '2.29.7';

/**
 * Docker Compose's own CLI, built once from its Go module into the runner's cache (no Docker
 * engine is needed to parse, interpolate and validate a compose file, and none exists here).
 */
export function ensureComposeCli(): string {
  const gobin = join(repositoryRoot, '.terrapulse', 'cache', `compose-${COMPOSE_VERSION}`);
  const binary = join(gobin, 'cmd');
  if (existsSync(binary)) return binary;
  goInstall({ module: `github.com/docker/compose/v2/cmd@v${COMPOSE_VERSION}`, gobin, timeoutMs: 600_000 });
  return binary;
}

export interface ComposeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Compose CLI in the repository with exactly the variables given (plus PATH and HOME). */
export function runCompose(
  binary: string,
  args: readonly string[],
  vars: Record<string, string>,
): ComposeRun {
  const result = spawnSync(binary, ['--project-directory', repositoryRoot, ...args], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...vars },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
