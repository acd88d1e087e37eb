import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export interface GoInstallOptions {
  /** `module/path/cmd@vX.Y.Z` */
  readonly module: string;
  /** Where the binary goes (GOBIN); created if missing. */
  readonly gobin: string;
  readonly ldflags?: string;
  /** Extra GOFLAGS, e.g. `-mod=mod` for modules whose go.sum lags their go.mod. */
  readonly goflags?: string;
  readonly timeoutMs?: number;
}

/**
 * Builds a Go command from its module with the machine's Go, statically (no cgo), into a cache
 * folder of the project's: how the runner gets servers and tools no Debian package ships.
 */
export function goInstall(options: GoInstallOptions): void {
  mkdirSync(options.gobin, { recursive: true });
  const args = ['install', ...(options.ldflags ? [`-ldflags=${options.ldflags}`] : []), options.module];
  execFileSync('go', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOBIN: options.gobin,
      CGO_ENABLED: '0',
      ...(options.goflags !== undefined && { GOFLAGS: options.goflags }),
    },
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
  });
}
