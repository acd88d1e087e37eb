import { createJsonLogger, onShutdownSignal, startOpsServer } from '@terrapulse/service-kit';
import { loadConfig } from './config.js';
import { createWriterMetrics } from './metrics.js';
import { buildInfluxWriter } from './wiring.js';

const config = loadConfig(process.env);
const logger = createJsonLogger({ service: 'influx-writer', level: config.LOG_LEVEL });
const metrics = createWriterMetrics({ processMetrics: true });
const writer = buildInfluxWriter(config, {
  logger,
  metrics,
  onFatal: () => process.exit(1),
});

try {
  await writer.start();
} catch (error) {
  logger.error('influx-writer failed to start', { error });
  process.exit(1);
}
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry: metrics.registry,
  health: () => writer.health(),
  logger,
});
onShutdownSignal(async () => {
  await writer.stop();
  await ops.close();
}, logger);
