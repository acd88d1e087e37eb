import { createJsonLogger, onShutdownSignal, startOpsServer } from '@terrapulse/service-kit';
import { buildMqttBridge } from './build.js';
import { loadConfig } from './config.js';
import { createBridgeMetrics } from './metrics.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const logger = createJsonLogger({ service: 'mqtt-bridge', level: config.logLevel });
const { bridge, metrics } = buildMqttBridge(config, logger, createBridgeMetrics({ processMetrics: true }));
const ops = await startOpsServer({
  ...config.ops,
  registry: metrics.registry,
  health: bridge.health,
  logger,
});
onShutdownSignal(async () => {
  await bridge.stop();
  await ops.close();
}, logger);

try {
  await bridge.start();
} catch (error) {
  logger.error('bridge failed to start', { error });
  await ops.close();
  process.exit(1);
}
