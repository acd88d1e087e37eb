import { createJsonLogger, onShutdownSignal } from '@terrapulse/service-kit';
import { loadConfig } from './config.js';
import { startIndicatorsService } from './service.js';

const config = loadConfig(process.env);
const logger = createJsonLogger({ service: 'indicators', level: config.LOG_LEVEL });

try {
  const service = await startIndicatorsService(config, { logger });
  onShutdownSignal(() => service.stop(), logger);
} catch (error) {
  logger.error('indicators failed to start', { error });
  process.exit(1);
}
