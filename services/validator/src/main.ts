import { createJsonLogger, onShutdownSignal } from '@terrapulse/service-kit';
import { loadConfig } from './config.js';
import { startValidatorService } from './service.js';

const config = loadConfig(process.env);
const logger = createJsonLogger({ service: 'validator', level: config.LOG_LEVEL });

try {
  const service = await startValidatorService(config, { logger });
  onShutdownSignal(() => service.stop(), logger);
} catch (error) {
  logger.error('validator failed to start', { error });
  process.exit(1);
}
