import { existsSync } from 'node:fs';
import { ensureDebianPackages } from '@terrapulse/infra-runner';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium package: the browser the console tests drive (no downloaded browser builds). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Installs Debian's `chromium` when it is missing (idempotent: a no-op once installed). The package
 * lists are refreshed only if the install fails, so a machine with fresh lists installs at once.
 */
export function ensureChromium(
  log: (msg: string) => void = (msg) => process.stderr.write(`${msg}\n`),
): string {
  if (!existsSync(CHROMIUM_PATH)) {
    ensureDebianPackages([{ command: 'chromium', pkg: 'chromium' }], log, 'on-failure');
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`chromium is still missing at ${CHROMIUM_PATH} after install`);
  return CHROMIUM_PATH;
}

/**
 * Installs Chromium if needed and launches it headless. The flags keep it from reaching the network
 * on its own (updates, sync, QUIC probes) and let it run as root in a container.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = ensureChromium();
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
