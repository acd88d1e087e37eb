import { createJsonLogger, onShutdownSignal } from '@terrapulse/service-kit';
import { createRegistry } from './app.js';
import { loadConfig } from './config.js';
import { registryExtensions } from './extensions.js';

const config = loadConfig(process.env);
const logger = createJsonLogger({ service: 'registry', level: config.LOG_LEVEL });

try {
  const registry = createRegistry({ config, logger, ...registryExtensions });
  await registry.start();
  onShutdownSignal(() => registry.stop(), logger);
} catch (error) {
  logger.error('registry failed to start', { error });
  process.exit(1);
}
