import { execFileSync, spawnSync } from 'node:child_process';

let aptUpdated = false;

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** When `apt-get update` runs: before every first install of the process, or only when it is needed. */
export type AptUpdatePolicy = 'before-install' | 'on-failure';

/**
 * Installs Debian packages whose command is missing. Runs `apt-get update`
 * once per process, only when something must be installed: first by default
 * (the servers), or with `'on-failure'` only when the install fails on stale
 * or missing package lists (test tools, where the lists are usually fresh).
 */
export function ensureDebianPackages(
  needs: ReadonlyArray<{ command: string; pkg: string }>,
  log: (msg: string) => void,
  update: AptUpdatePolicy = 'before-install',
): void {
  const missing = needs.filter((n) => !hasCommand(n.command)).map((n) => n.pkg);
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing Debian packages: ${missing.join(' ')}`);
  const aptUpdate = (): void => {
    run([...sudo, 'apt-get', 'update', '-qq'], env);
    aptUpdated = true;
  };
  if (!aptUpdated && update === 'before-install') aptUpdate();
  // policy-rc.d keeps the packages' own init scripts from starting system-wide
  // copies of the servers on the standard ports: the runner starts its own.
  run(
    [
      ...sudo,
      'sh',
      '-c',
      'printf "#!/bin/sh\\nexit 101\\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d',
    ],
    env,
  );
  const install = (): void =>
    run([...sudo, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing], env);
  try {
    try {
      install();
    } catch (error) {
      if (aptUpdated) throw error;
      log('apt-get install failed; updating the package lists and retrying');
      aptUpdate();
      install();
    }
  } finally {
    run([...sudo, 'rm', '-f', '/usr/sbin/policy-rc.d'], env);
  }
}

function run(argv: string[], env: NodeJS.ProcessEnv): void {
  const [cmd, ...args] = argv;
  if (!cmd) return;
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
}
