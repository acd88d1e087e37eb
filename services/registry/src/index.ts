export { DynsecMqttAccess, deviceRoleName } from './adapters/dynsec/dynsec-mqtt-access.js';
export { OutboxRelay } from './adapters/kafka/outbox-relay.js';
export { auditLogOf, RedisDeviceStore } from './adapters/redis/redis-device-store.js';
export { type RegistryKeys, registryKeys } from './adapters/redis/registry-keys.js';
export {
  type ComponentFactory,
  createRegistry,
  type Registry,
  type RegistryComponent,
  type RegistryDeps,
} from './app.js';
export { type ApplyResult, applyTransition } from './commands/apply-transition.js';
export { loadConfig, type RegistryConfig, RegistryEnv } from './config.js';
export * from './domain/access.js';
export * from './domain/lifecycle.js';
export { outboxBatch } from './domain/outbox-batch.js';
export { registryExtensions } from './extensions.js';
export { ApiError, fieldIssues, parseOr400 } from './http/errors.js';
export type { RouteContext, RouteModule } from './http/route-context.js';
export * from './http/schemas/device.js';
export * from './http/schemas/device-health.js';
export { createProvisionJobs, type ProvisionJobs } from './jobs/provision-job.js';
export { createQueueFactory, type QueueFactory, type RegistryQueueName } from './jobs/queue-factory.js';
export { createRegistryMetrics, type RegistryMetrics } from './metrics.js';
export * from './ports/index.js';
