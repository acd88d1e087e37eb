import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createKafka,
  type HealthReport,
  type Logger,
  type OpsServer,
  startOpsServer,
} from '@terrapulse/service-kit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { DynsecMqttAccess } from './adapters/dynsec/dynsec-mqtt-access.js';
import { OutboxRelay } from './adapters/kafka/outbox-relay.js';
import { auditLogOf, RedisDeviceStore } from './adapters/redis/redis-device-store.js';
import { RedisTokenStore } from './adapters/redis/redis-token-store.js';
import { type RegistryKeys, registryKeys } from './adapters/redis/registry-keys.js';
import type { RegistryConfig } from './config.js';
import { createAuthenticator } from './http/auth.js';
import { OpenApiRegistry } from './http/openapi.js';
import { type RouteContext, type RouteModule, routeHelpers } from './http/route-context.js';
import { createHttpServer } from './http/server.js';
import { createProvisionJobs } from './jobs/provision-job.js';
import { createQueueFactory } from './jobs/queue-factory.js';
import { createSecretBox } from './jobs/secret-box.js';
import { createRegistryMetrics, type RegistryMetrics } from './metrics.js';
import { type DeviceHealthSource, unknownHealthSource } from './ports/device-health.js';
import type { MqttAccess } from './ports/mqtt-access.js';

export const REGISTRY_VERSION = '0.1.0';

/** The console's static files, next to src/ and dist/. */
export const DEFAULT_CONSOLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../console');

/** Something started with the registry (A2's health tracker, sweeper, import worker...). */
export interface RegistryComponent {
  readonly name: string;
  /** Health of the component, shown in /healthz. */
  health?(): { ok: boolean; detail?: unknown };
  /** Stops taking work (consumers); called before the queues close. */
  stop(): Promise<void>;
  /** Closes what the component's workers still used (connections); called after the queues close. */
  dispose?(): Promise<void>;
}

/**
 * Builds further components once the core is wired; they get the same context as routes (store,
 * queues, logger...) plus the config, may replace the health source the API shows, and may bring
 * route modules built on them (A2's imports and health routes).
 */
export type ComponentFactory = (
  ctx: RouteContext & { readonly config: RegistryConfig; readonly keys: RegistryKeys },
) => Promise<{ component: RegistryComponent; health?: DeviceHealthSource; routes?: readonly RouteModule[] }>;

export interface RegistryDeps {
  readonly config: RegistryConfig;
  readonly logger: Logger;
  /** Process metrics on /metrics; off when a test runs several registries in one process. */
  readonly processMetrics?: boolean;
  /** Replaces Mosquitto dynamic security (tests of failure paths). */
  readonly access?: MqttAccess;
  readonly extraRoutes?: readonly RouteModule[];
  readonly components?: readonly ComponentFactory[];
  /** @default services/registry/console */
  readonly consoleDir?: string;
  readonly now?: () => Date;
}

export interface Registry {
  /** Listens; resolves with the bound ports (0 in the config picks free ones). */
  start(): Promise<{ httpPort: number; opsPort: number }>;
  /** Stops taking requests, lets jobs finish, stops the relay, closes every client. */
  stop(): Promise<void>;
  health(): HealthReport;
  readonly ctx: RouteContext;
  readonly keys: RegistryKeys;
  readonly metrics: RegistryMetrics;
}

export function createRegistry(deps: RegistryDeps): Registry {
  const { config, logger } = deps;
  const metrics = createRegistryMetrics({ processMetrics: deps.processMetrics ?? true });
  const keys = registryKeys(config.REGISTRY_KEY_PREFIX);
  // Few retries per command: a request fails fast (503) while Redis is down instead of hanging.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  const relayRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  for (const r of [redis, relayRedis]) r.on('error', (error) => logger.warn('redis error', { error }));
  const store = new RedisDeviceStore(redis, keys);
  const tokens = new RedisTokenStore(redis, keys);
  const access =
    deps.access ??
    new DynsecMqttAccess({
      url: config.MQTT_URL,
      username: config.MQTT_ADMIN_USERNAME,
      password: config.MQTT_ADMIN_PASSWORD,
      logger: logger.child({ component: 'dynsec' }),
    });
  const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: keys.bullPrefix });
  const provision = createProvisionJobs(queues, {
    store,
    access,
    secrets: createSecretBox(config.REGISTRY_SECRET_KEY ?? config.REGISTRY_ADMIN_TOKEN),
    logger: logger.child({ component: 'provision' }),
    attempts: config.REGISTRY_PROVISION_ATTEMPTS,
    backoffMs: config.REGISTRY_PROVISION_BACKOFF_MS,
    onOutcome: (outcome) => metrics.provisioning.inc({ outcome }),
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
  const relay = new OutboxRelay({
    redis: relayRedis,
    kafka,
    keys,
    topic: config.TOPIC_REGISTRY,
    leaseMs: config.REGISTRY_RELAY_LEASE_MS,
    logger: logger.child({ component: 'outbox-relay' }),
    metrics,
  });
  let healthSource: DeviceHealthSource = unknownHealthSource;
  const ctx: RouteContext = {
    store,
    audit: auditLogOf(store),
    tokens,
    access,
    provision,
    queues,
    get health() {
      return healthSource;
    },
    logger,
    metrics,
    openapi: new OpenApiRegistry(),
    now: deps.now ?? (() => new Date()),
    ...routeHelpers(store),
  };
  const components: RegistryComponent[] = [];
  let http: FastifyInstance | undefined;
  let ops: OpsServer | undefined;
  let state: HealthReport['status'] = 'starting';
  let stopping: Promise<void> | undefined;

  const health = (): HealthReport => {
    const checks: Record<string, unknown> = {
      redis: redis.status,
      outboxRelay: relay.isLeader ? 'leader' : 'standby',
    };
    let ok = redis.status === 'ready';
    for (const c of components) {
      const h = c.health?.();
      if (h) {
        checks[c.name] = h.detail ?? (h.ok ? 'ok' : 'failing');
        ok &&= h.ok;
      }
    }
    return { status: state === 'ok' && !ok ? 'degraded' : state, checks };
  };

  return {
    ctx,
    keys,
    metrics,
    health,
    async start() {
      try {
        return await startAll();
      } catch (error) {
        // Close what did start, so a failed start leaves no connection or port behind.
        await stopAll().catch(() => undefined);
        throw error;
      }
    },
    stop() {
      // Idempotent: a second call waits for the first.
      stopping ??= stopAll();
      return stopping;
    },
  };

  async function startAll(): Promise<{ httpPort: number; opsPort: number }> {
    ops = await startOpsServer({
      host: config.OPS_HOST,
      port: config.OPS_PORT,
      registry: metrics.registry,
      health,
      logger,
    });
    await redis.ping();
    const routes: RouteModule[] = [...(deps.extraRoutes ?? [])];
    for (const factory of deps.components ?? []) {
      const built = await factory({ ...ctx, config, keys });
      components.push(built.component);
      if (built.health) healthSource = built.health;
      routes.push(...(built.routes ?? []));
    }
    await relay.start();
    http = await createHttpServer({
      ctx,
      authenticate: createAuthenticator({ adminToken: config.REGISTRY_ADMIN_TOKEN, tokens }),
      extraRoutes: routes,
      consoleDir: deps.consoleDir ?? DEFAULT_CONSOLE_DIR,
      version: REGISTRY_VERSION,
    });
    await http.listen({ host: config.REGISTRY_HTTP_HOST, port: config.REGISTRY_HTTP_PORT });
    const address = http.server.address();
    const httpPort = typeof address === 'object' && address ? address.port : config.REGISTRY_HTTP_PORT;
    state = 'ok';
    logger.info('registry listening', { host: config.REGISTRY_HTTP_HOST, port: httpPort });
    return { httpPort, opsPort: ops.port };
  }

  async function stopAll(): Promise<void> {
    state = 'stopping';
    await http?.close();
    for (const c of [...components].reverse()) {
      await c.stop().catch((error: unknown) => logger.warn('component stop failed', { name: c.name, error }));
    }
    await queues.close();
    for (const c of [...components].reverse()) await c.dispose?.().catch(() => undefined);
    await relay.stop().catch((error: unknown) => logger.warn('relay stop failed', { error }));
    await access.close();
    await ops?.close();
    await Promise.all([redis.quit(), relayRedis.quit()]).catch(() => undefined);
  }
}
