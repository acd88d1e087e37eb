import { createKafka } from '@terrapulse/service-kit';
import { Redis } from 'ioredis';
import { createHealthTracker } from './adapters/kafka/health-tracker.js';
import { RedisDeviceHealthStore } from './adapters/redis/device-health-store.js';
import type { ComponentFactory, RegistryDeps } from './app.js';
import { healthRoutes } from './http/routes/health.js';
import { importRoutes } from './http/routes/imports.js';
import { createActivationJobs } from './jobs/activation-job.js';
import { createImportJobs } from './jobs/import-job.js';
import { ImportStore } from './jobs/import-store.js';
import { createSilenceSweeper } from './jobs/silence-sweeper.js';

/**
 * A2's part, wired on the core: the health tracker (consumes readings and rejections), activation
 * jobs, the silence sweeper, CSV import jobs, and the routes built on them. One Redis connection of
 * its own, closed on stop after the consumers and workers.
 */
export const healthAndImports: ComponentFactory = async (ctx) => {
  const { config, keys, store, queues, logger } = ctx;
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => logger.warn('redis error', { component: 'health', error }));
  const health = new RedisDeviceHealthStore(redis, {
    prefix: keys.prefix,
    silenceFactor: config.REGISTRY_SILENCE_FACTOR,
  });
  const activation = createActivationJobs(queues, {
    store,
    logger: logger.child({ component: 'activation' }),
    onOutcome: (outcome) => ctx.metrics.lifecycleChanges.inc({ action: `activation.${outcome}` }),
  });
  const tracker = createHealthTracker({
    kafka: createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: `${config.KAFKA_CLIENT_ID}-health`,
      logger,
    }),
    topics: { readings: config.TOPIC_READINGS, rejected: config.TOPIC_REJECTED },
    groupId: `${config.KAFKA_CLIENT_ID}-health-${keys.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    health,
    store,
    activation,
    logger: logger.child({ component: 'health-tracker' }),
  });
  const sweeper = createSilenceSweeper(queues, {
    store,
    health,
    factor: config.REGISTRY_SILENCE_FACTOR,
    intervalMs: config.REGISTRY_SWEEP_INTERVAL_MS,
    logger: logger.child({ component: 'silence' }),
  });
  const imports = createImportJobs(queues, {
    store,
    imports: new ImportStore(redis, keys.prefix),
    audit: ctx.audit,
    logger: logger.child({ component: 'import' }),
  });
  await tracker.start();
  await sweeper.start();
  return {
    health,
    routes: [importRoutes(imports), healthRoutes(health)],
    component: {
      name: 'healthTracker',
      health: () => {
        const h = tracker.health();
        return { ok: h.connected, detail: h };
      },
      stop: () => tracker.stop(),
      // After the queue factory closed the import, activation and silence workers that use it.
      async dispose() {
        await redis.quit().catch(() => redis.disconnect());
      },
    },
  };
};

/**
 * Registration point of the parts built beside the core (A2's health tracker, jobs and routes;
 * A3's console is served by the server from services/registry/console/). main.ts and the tests
 * start the registry with these.
 */
export const registryExtensions: Pick<RegistryDeps, 'extraRoutes' | 'components'> = {
  extraRoutes: [],
  components: [healthAndImports],
};
