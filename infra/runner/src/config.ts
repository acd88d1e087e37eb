import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

/**
 * The native runner's environment. Every server listens on loopback on its
 * standard port unless overridden, so a developer's machine exposes nothing.
 */
export const RunnerConfig = z.object({
  /** Where data, logs, pid files and generated secrets live (git-ignored). */
  TERRAPULSE_HOME: z.string().default('.terrapulse'),
  /** Where built or downloaded server artifacts are cached; survives `reset`. */
  TERRAPULSE_CACHE: z.string().optional(),
  /** Interface the servers bind to; loopback by default so nothing is exposed. */
  TERRAPULSE_BIND: z.string().default('127.0.0.1'),
  MQTT_PORT: port.default(1883),
  KAFKA_PORT: port.default(9092),
  /** KRaft controller listener; only the broker itself talks to it. */
  KAFKA_CONTROLLER_PORT: port.default(9093),
  INFLUX_PORT: port.default(8086),
  /** InfluxDB's backup/restore RPC port; bound to loopback. */
  INFLUX_RPC_PORT: port.default(8088),
  REDIS_PORT: port.default(6379),
  /** Kafka broker heap; one broker on a 2-core dev box needs little. */
  KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/)
    .default('512m'),
  KAFKA_VERSION: z.string().default('4.1.1'),
  INFLUXDB_VERSION: z.string().default('1.8.10'),
  /**
   * Go's GC target for influxd (GOGC): 200 lets its heap grow to three times the live data
   * between collections instead of twice. In alternated `npm run bench` runs that took InfluxDB
   * from 16-20 to 11-14 µs of CPU per stored reading, for a peak RSS of 1.3-1.5 GiB instead of
   * 1.2; 400 doubled the peak and saved nothing more. Lower it on a host short of memory.
   */
  INFLUX_GOGC: z.coerce.number().int().min(25).max(1_000).default(200),
  /** How long `up` waits for each server to answer before giving up. */
  TERRAPULSE_START_TIMEOUT_S: z.coerce.number().int().positive().default(120),
  /** Retention of the `terrapulse` database in InfluxDB (InfluxQL duration). */
  INFLUX_RETENTION: z
    .string()
    .regex(/^(INF|\d+[hdw])$/)
    .default('400d'),
});
export type RunnerConfig = z.infer<typeof RunnerConfig>;

export interface RunnerPaths {
  readonly root: string;
  readonly home: string;
  readonly cache: string;
  readonly data: (server: string) => string;
  readonly logs: string;
  readonly log: (server: string) => string;
  readonly pidFile: (server: string) => string;
  readonly conf: (server: string) => string;
  readonly secretsFile: string;
  readonly envFile: string;
}

export function loadConfig(env: NodeJS.ProcessEnv, root: string): RunnerConfig & { paths: RunnerPaths } {
  const config = RunnerConfig.parse(env);
  const home = resolve(root, config.TERRAPULSE_HOME);
  const cache = resolve(root, config.TERRAPULSE_CACHE ?? `${config.TERRAPULSE_HOME}/cache`);
  const paths: RunnerPaths = {
    root,
    home,
    cache,
    data: (server) => resolve(home, 'data', server),
    logs: resolve(home, 'logs'),
    log: (server) => resolve(home, 'logs', `${server}.log`),
    pidFile: (server) => resolve(home, 'run', `${server}.pid`),
    conf: (server) => resolve(home, 'conf', server),
    secretsFile: resolve(home, 'secrets.json'),
    envFile: resolve(home, 'terrapulse.env'),
  };
  return { ...config, paths };
}
