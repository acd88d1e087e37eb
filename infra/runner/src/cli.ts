import { loadConfig } from './config.js';
import { createServers, down, reset, ServerStartError, status, up } from './infra.js';
import { repositoryRoot } from './local-environment.js';
import type { ServerStatus } from './native-server.js';
import { ensureSecrets, readSecrets } from './secrets.js';

const USAGE = `usage: npm run infra -- <up|down|status|reset>
  up      install what is missing, start Mosquitto, Redis, InfluxDB and Kafka, wait until they answer
  down    stop every server the runner started
  status  print each server with its version, port and health (exit 1 if one is unhealthy)
  reset   stop everything and delete data, logs and generated secrets (keeps the build cache)`;

const log = (message: string): void => console.log(`[infra] ${message}`);

function printStatus(rows: ServerStatus[]): void {
  const table = rows.map((r) => ({
    server: r.name,
    version: r.version ?? '-',
    port: String(r.port),
    pid: r.pid === undefined ? '-' : String(r.pid),
    health: r.detail,
    log: r.logFile,
  }));
  const headers = ['server', 'version', 'port', 'pid', 'health', 'log'] as const;
  const widths = headers.map((h) => Math.max(h.length, ...table.map((row) => row[h].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(headers));
  for (const row of table) console.log(line(headers.map((h) => row[h])));
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const config = loadConfig(process.env, repositoryRoot);
  switch (command) {
    case 'up': {
      const secrets = ensureSecrets(config.paths.secretsFile);
      const servers = createServers(config, secrets, log);
      await up(config, servers, secrets, log);
      printStatus(await status(servers));
      log(`connection settings: ${config.paths.envFile}`);
      return 0;
    }
    case 'down':
    case 'status':
    case 'reset': {
      const secrets = readSecrets(config.paths.secretsFile) ?? ensureSecrets(config.paths.secretsFile);
      const servers = createServers(config, secrets, log);
      if (command === 'down') await down(servers, log);
      if (command === 'reset') await reset(config, servers, log);
      if (command === 'status') {
        const rows = await status(servers);
        printStatus(rows);
        return rows.every((r) => r.healthy) ? 0 : 1;
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ServerStartError) console.error(`[infra] ${error.message}`);
    else console.error('[infra] failed:', error);
    process.exitCode = 1;
  },
);
