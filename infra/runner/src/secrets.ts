import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Credentials of a local run. They are generated at random on the first `up`
 * and never shipped as defaults, so no well-known secret ever works against a
 * Terrapulse server (ARCHITECTURE: "no default secret outside local dev").
 */
export const LocalSecrets = z.object({
  mqttAdmin: z.object({ username: z.string(), password: z.string() }),
  mqttBridge: z.object({ username: z.string(), password: z.string() }),
  influxAdmin: z.object({ username: z.string(), password: z.string() }),
  redisPassword: z.string(),
  registryAdminToken: z.string(),
});
export type LocalSecrets = z.infer<typeof LocalSecrets>;

const secret = (): string => randomBytes(24).toString('base64url');

function generateSecrets(): LocalSecrets {
  return {
    mqttAdmin: { username: 'tp-admin', password: secret() },
    mqttBridge: { username: 'tp-bridge', password: secret() },
    influxAdmin: { username: 'tp-admin', password: secret() },
    redisPassword: secret(),
    registryAdminToken: `tpk_admin_${secret()}`,
  };
}

export function readSecrets(file: string): LocalSecrets | undefined {
  if (!existsSync(file)) return undefined;
  return LocalSecrets.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function ensureSecrets(file: string): LocalSecrets {
  const existing = readSecrets(file);
  if (existing) return existing;
  const fresh = generateSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  return fresh;
}
