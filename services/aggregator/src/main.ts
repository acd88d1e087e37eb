import { createJsonLogger, onShutdownSignal, startOpsServer } from '@terrapulse/service-kit';
import { loadConfig } from './config.js';
import { createKafkaAggregator } from './kafka-aggregator.js';

/** The aggregator process: `node --env-file=.terrapulse/terrapulse.env services/aggregator/dist/main.js`. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createJsonLogger({ service: 'aggregator', level: config.LOG_LEVEL });
  const aggregator = createKafkaAggregator(config, logger);
  const ops = await startOpsServer({
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    registry: aggregator.metrics.registry,
    health: () => aggregator.health(),
    logger,
  });
  onShutdownSignal(
    async () => {
      await aggregator.stop();
      await ops.close();
    },
    logger,
    config.SHUTDOWN_GRACE_MS,
  );
  await aggregator.start();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
