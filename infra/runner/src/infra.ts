import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { RunnerConfig, RunnerPaths } from './config.js';
import { writeLocalEnvironment } from './local-environment.js';
import type { Logger, NativeServer, ServerStatus } from './native-server.js';
import { isListening, waitUntil } from './port-probe.js';
import { isAlive, runningPid, stopDaemon } from './process-supervisor.js';
import type { LocalSecrets } from './secrets.js';
import { InfluxDbServer } from './servers/influxdb.js';
import { KafkaServer } from './servers/kafka.js';
import { MosquittoServer } from './servers/mosquitto.js';
import { RedisServer } from './servers/redis.js';

export type Runner = RunnerConfig & { paths: RunnerPaths };

/** A server that could not be started; the message names the server and its log. */
export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

export function createServers(config: Runner, secrets: LocalSecrets, log: Logger): NativeServer[] {
  return [
    new MosquittoServer(config, secrets, log),
    new RedisServer(config, secrets, log),
    new InfluxDbServer(config, secrets, log),
    new KafkaServer(config, log),
  ];
}

/**
 * Installs what is missing, starts what is not running, waits until every
 * server answers, then applies the idempotent bootstrap. Safe to run twice.
 */
export async function up(
  config: Runner,
  servers: NativeServer[],
  secrets: LocalSecrets,
  log: Logger,
): Promise<void> {
  // Installs run one after the other: apt holds a lock, and Go and Maven
  // builds would only fight for the two cores.
  for (const server of servers) await server.install();
  await Promise.all(servers.map((server) => startAndWait(config, server, log)));
  for (const server of servers) await server.bootstrap();
  writeLocalEnvironment(config, secrets);
}

async function startAndWait(config: Runner, server: NativeServer, log: Logger): Promise<void> {
  const timeoutMs = config.TERRAPULSE_START_TIMEOUT_S * 1000;
  const existing = runningPid(server.pidFile);
  if (existing !== undefined) {
    if (
      await waitUntil(
        () => server.ready(),
        timeoutMs,
        250,
        () => isAlive(existing),
      )
    ) {
      log(`${server.name}: already running (pid ${existing})`);
      return;
    }
    throw new ServerStartError(
      `${server.name}: process ${existing} runs but does not answer on port ${server.port}; see ${server.logFile}`,
    );
  }
  if (await isListening(config.TERRAPULSE_BIND, server.port)) {
    throw new ServerStartError(
      `${server.name}: port ${server.port} is already in use by another process; stop it or set ${server.portVariable} to a free port (log: ${server.logFile})`,
    );
  }
  let pid: number;
  try {
    pid = await server.start();
  } catch (error) {
    throw new ServerStartError(
      `${server.name}: failed to start: ${(error as Error).message} (log: ${server.logFile})`,
    );
  }
  log(`${server.name}: started (pid ${pid}), waiting until it answers on port ${server.port}`);
  const ready = await waitUntil(
    () => server.ready(),
    timeoutMs,
    250,
    () => isAlive(pid),
  );
  if (!ready) {
    const why = isAlive(pid) ? `did not answer within ${config.TERRAPULSE_START_TIMEOUT_S} s` : 'exited';
    throw new ServerStartError(`${server.name}: ${why}; see ${server.logFile}\n${tail(server.logFile, 15)}`);
  }
  log(`${server.name}: ready`);
}

export async function down(servers: NativeServer[], log: Logger): Promise<void> {
  // Reverse order: Kafka and InfluxDB flush before the others go.
  await Promise.all(
    [...servers].reverse().map(async (server) => {
      const outcome = await stopDaemon(server.pidFile, server.stopGraceMs);
      log(`${server.name}: ${outcome}`);
    }),
  );
}

export async function status(servers: NativeServer[]): Promise<ServerStatus[]> {
  return Promise.all(
    servers.map(async (server): Promise<ServerStatus> => {
      const pid = runningPid(server.pidFile);
      const healthy = pid !== undefined && (await server.ready().catch(() => false));
      const detail =
        pid === undefined
          ? (await isListening('127.0.0.1', server.port))
            ? 'not started by the runner, but the port is in use by another process'
            : 'stopped'
          : healthy
            ? 'healthy'
            : 'running but not answering';
      return {
        name: server.name,
        port: server.port,
        pid,
        healthy,
        version: healthy ? await server.version() : undefined,
        detail,
        logFile: server.logFile,
      };
    }),
  );
}

/** Stops everything and deletes data, logs and secrets; keeps the build cache. */
export async function reset(config: Runner, servers: NativeServer[], log: Logger): Promise<void> {
  await down(servers, log);
  for (const dir of ['data', 'logs', 'run', 'conf'])
    rmSync(`${config.paths.home}/${dir}`, { recursive: true, force: true });
  rmSync(config.paths.secretsFile, { force: true });
  rmSync(config.paths.envFile, { force: true });
  log(`reset: removed data, logs and secrets under ${config.paths.home} (cache kept)`);
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '(no log yet)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
