import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type RunnerConfig, type RunnerPaths } from './config.js';
import type { LocalSecrets } from './secrets.js';
import { INFLUX_DATABASE } from './servers/influxdb.js';

/** The repository root, from this file's place in infra/runner/{src,dist}. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Writes the connection settings of the local run as a dotenv file, the one
 * place services (`node --env-file`) and tests read them from.
 */
export function writeLocalEnvironment(
  config: RunnerConfig & { paths: RunnerPaths },
  secrets: LocalSecrets,
): void {
  const bind = config.TERRAPULSE_BIND;
  const vars: Record<string, string> = {
    TERRAPULSE_ENV: 'development',
    MQTT_URL: `mqtt://${bind}:${config.MQTT_PORT}`,
    MQTT_ADMIN_USERNAME: secrets.mqttAdmin.username,
    MQTT_ADMIN_PASSWORD: secrets.mqttAdmin.password,
    MQTT_BRIDGE_USERNAME: secrets.mqttBridge.username,
    MQTT_BRIDGE_PASSWORD: secrets.mqttBridge.password,
    KAFKA_BROKERS: `${bind}:${config.KAFKA_PORT}`,
    INFLUX_URL: `http://${bind}:${config.INFLUX_PORT}`,
    INFLUX_DATABASE,
    INFLUX_USERNAME: secrets.influxAdmin.username,
    INFLUX_PASSWORD: secrets.influxAdmin.password,
    REDIS_URL: `redis://:${encodeURIComponent(secrets.redisPassword)}@${bind}:${config.REDIS_PORT}`,
    REGISTRY_ADMIN_TOKEN: secrets.registryAdminToken,
  };
  mkdirSync(dirname(config.paths.envFile), { recursive: true });
  const body = Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  writeFileSync(
    config.paths.envFile,
    `# Written by \`npm run infra -- up\`; local development only.\n${body}\n`,
    {
      mode: 0o600,
    },
  );
}

/** Reads the settings `up` wrote; throws a clear error when the servers were never started. */
export function readLocalEnvironment(
  root: string = repositoryRoot,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const { paths } = loadConfig(env, root);
  if (!existsSync(paths.envFile)) {
    throw new Error(`no local environment at ${paths.envFile}: run \`npm run infra -- up\` first`);
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(paths.envFile, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) vars[match[1]] = match[2];
  }
  return vars;
}
