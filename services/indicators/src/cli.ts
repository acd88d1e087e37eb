import { parseArgs } from 'node:util';
import { createJsonLogger, parseEnv } from '@terrapulse/service-kit';
import { computeIndicators } from './compute-indicators.js';
import { IndicatorsEnv, indicatorSettings, influxSettings } from './config.js';
import { readRegistrySnapshot } from './registry-snapshot.js';

const USAGE = `usage: indicators backfill --from YYYY-MM-DD --to YYYY-MM-DD

Recomputes the daily indicators (energy, CO2e, minimum night flow, network yield) of the local
days from --from to --to included, from the aggregates stored in InfluxDB, and overwrites their
points. Reads the same environment as the service (node --env-file=.terrapulse/terrapulse.env).
`;

/** The backfill needs no Redis: it runs in this process, not as a job. */
const BackfillEnv = IndicatorsEnv.omit({ REDIS_URL: true });

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals[0] !== 'backfill' || values.from === undefined || values.to === undefined) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  const config = parseEnv(BackfillEnv, process.env);
  const logger = createJsonLogger({ service: 'indicators-backfill', level: config.LOG_LEVEL });
  const devices = await readRegistrySnapshot({
    brokers: config.KAFKA_BROKERS,
    topic: config.TOPIC_REGISTRY,
    clientId: config.KAFKA_CLIENT_ID,
    logger,
  });
  const run = await computeIndicators({
    from: values.from,
    to: values.to,
    influx: influxSettings(config),
    devices,
    ...indicatorSettings(config),
    logger,
  });
  process.stdout.write(`${JSON.stringify({ ...run, devices: devices.length })}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`indicators: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
