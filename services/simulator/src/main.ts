import {
  createJsonLogger,
  createKafka,
  type Logger,
  type OpsServer,
  onShutdownSignal,
  startOpsServer,
} from '@terrapulse/service-kit';
import { DynsecAccessAdmin } from './adapters/dynsec/dynsec-access-admin.js';
import { CredentialsFile } from './adapters/file/credentials-file.js';
import { JsonlLedgerFile } from './adapters/file/jsonl-ledger-file.js';
import { writeSeedFile } from './adapters/file/seed-file.js';
import { KafkaRegistrySink } from './adapters/kafka/kafka-registry-sink.js';
import { LeanMqttConnector } from './adapters/mqtt/lean-mqtt-connector.js';
import { MqttDeviceConnector } from './adapters/mqtt/mqtt-device-connector.js';
import { RegistryApiOnboarding } from './adapters/registry-api/registry-api-onboarding.js';
import { createSimulator, type SimulatorSummary } from './app.js';
import { type CliOptions, parseCliArgs, USAGE } from './cli-options.js';
import { loadConfig, type SimulatorConfig } from './config.js';
import { createSimulatorMetrics } from './metrics.js';

function printSummary(summary: SimulatorSummary, json: boolean): void {
  const s = summary.stats;
  if (json) {
    const flat = { ...summary, published: s?.published ?? 0, acked: s?.acked ?? 0, unacked: s?.unacked ?? 0 };
    console.log(JSON.stringify(flat));
    return;
  }
  console.log(
    `${summary.command}: ${summary.devices} devices (+${summary.unknownDevices} unknown), ` +
      `clients created ${summary.provisioned.created}, updated ${summary.provisioned.updated}, ` +
      `unchanged ${summary.provisioned.unchanged}; ${summary.registryRecords} registry records`,
  );
  if (s === undefined) return;
  const seconds = s.elapsedMs / 1000;
  console.log(
    `published ${s.published} messages (${s.readings.published} readings), acked ${s.acked} ` +
      `(${s.readings.acked} readings), refused ${s.failed}, unacked ${s.unacked}, dropped ${s.dropped}; ` +
      `${s.connected}/${s.devices} connected, ${s.connectFailed} failed to connect; ` +
      `${seconds.toFixed(1)} s, ${s.ackedReadingsPerS} acked readings/s`,
  );
  const faults = Object.entries(s.byFault).filter(([, n]) => n > 0);
  if (faults.length > 0) console.log(`faults: ${faults.map(([f, n]) => `${f}=${n}`).join(', ')}`);
  console.log(
    `expected outcomes: ${Object.entries(s.byExpected)
      .map(([o, n]) => `${o}=${n}`)
      .join(', ')}`,
  );
}

async function main(cli: CliOptions, config: SimulatorConfig, logger: Logger): Promise<void> {
  const admin = await DynsecAccessAdmin.connect(config.MQTT_URL, {
    username: config.MQTT_ADMIN_USERNAME,
    password: config.MQTT_ADMIN_PASSWORD,
  });
  const store = await CredentialsFile.open(config.SIMULATOR_CREDENTIALS_FILE);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
  const producer =
    cli.publishRegistry && cli.registryUrl === undefined
      ? kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
      : undefined;
  await producer?.connect();
  const ledgerSink = cli.ledger === undefined ? undefined : new JsonlLedgerFile(cli.ledger);
  const metrics = createSimulatorMetrics();
  const seedFile = cli.seedFile;
  const registryToken = config.REGISTRY_TOKEN ?? config.REGISTRY_ADMIN_TOKEN;
  if (cli.registryUrl !== undefined && registryToken === undefined)
    throw new Error('--registry-url needs REGISTRY_TOKEN (or REGISTRY_ADMIN_TOKEN) in the environment');
  const onboarding =
    cli.registryUrl === undefined || registryToken === undefined
      ? undefined
      : new RegistryApiOnboarding({ url: cli.registryUrl, token: registryToken, logger });
  const simulator = createSimulator({
    task: {
      command: cli.command,
      territory: {
        seed: cli.seed ?? config.SIMULATOR_SEED,
        devices: cli.devices ?? config.SIMULATOR_DEVICES,
        prefix: cli.prefix ?? config.SIMULATOR_DEVICE_PREFIX,
      },
      faults: cli.faults,
      rotatePasswords: cli.rotatePasswords,
      mode: cli.mode,
      maxInFlightPerDevice: cli.inflight ?? config.SIMULATOR_MAX_INFLIGHT,
      format: cli.format,
      pack: cli.pack,
      ...(cli.rate !== undefined && { rate: cli.rate }),
      ...(cli.durationMs !== undefined && { durationMs: cli.durationMs }),
    },
    admin,
    store,
    connector:
      config.SIMULATOR_MQTT_CLIENT === 'lean'
        ? new LeanMqttConnector({ url: config.MQTT_URL, logger })
        : new MqttDeviceConnector({ url: config.MQTT_URL, logger }),
    logger,
    metrics,
    ...(producer !== undefined && { registry: new KafkaRegistrySink(producer, config.TOPIC_REGISTRY) }),
    ...(onboarding !== undefined && { onboarding }),
    ...(seedFile !== undefined && { writeSeed: (records) => writeSeedFile(seedFile, records) }),
    ...(ledgerSink !== undefined && { ledgerSink }),
  });
  let ops: OpsServer | undefined;
  try {
    ops = await startOpsServer({
      host: config.OPS_HOST,
      port: config.OPS_PORT,
      registry: metrics.registry,
      health: () => simulator.health(),
      logger,
    });
    onShutdownSignal(() => simulator.stop(), logger);
    await simulator.start();
    printSummary(await simulator.done, cli.json);
  } finally {
    await ops?.close();
    await ledgerSink?.close();
    await producer?.disconnect();
    await admin.close();
  }
}

let cli: CliOptions;
let config: SimulatorConfig;
try {
  cli = parseCliArgs(process.argv.slice(2), Date.now());
  config = loadConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  if (!(error instanceof RangeError)) console.error(`\n${USAGE}`);
  process.exit(2);
}
// Logs go to stderr: stdout carries the summary, which `--json` makes one machine-readable object.
const logger = createJsonLogger({
  service: 'simulator',
  level: config.LOG_LEVEL,
  write: (line) => process.stderr.write(line),
});
main(cli, config, logger).then(
  () => process.exit(0),
  (error: unknown) => {
    logger.error('simulator failed', { error });
    process.exit(1);
  },
);
