import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface RegistryMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly outboxPublished: Counter;
  readonly outboxPending: Gauge;
  readonly relayLeader: Gauge;
  readonly provisioning: Counter<'outcome'>;
  readonly lifecycleChanges: Counter<'action'>;
}

/** The registry's Prometheus metrics, on their own registry (several registries per test process). */
export function createRegistryMetrics(options: { processMetrics?: boolean } = {}): RegistryMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'terrapulse_registry_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'terrapulse_registry_http_requests_total',
      help: 'HTTP API requests by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'terrapulse_registry_http_request_duration_seconds',
      help: 'HTTP API request duration by route pattern',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    outboxPublished: new Counter({
      name: 'terrapulse_registry_outbox_published_total',
      help: 'Device records published from the outbox to the registry topic',
      registers,
    }),
    outboxPending: new Gauge({
      name: 'terrapulse_registry_outbox_pending',
      help: 'Outbox entries not yet published (seen by the relay leader)',
      registers,
    }),
    relayLeader: new Gauge({
      name: 'terrapulse_registry_outbox_relay_leader',
      help: '1 when this instance holds the outbox relay lease',
      registers,
    }),
    provisioning: new Counter({
      name: 'terrapulse_registry_provisioning_jobs_total',
      help: 'Provisioning jobs by outcome (provisioned, failed after every retry, skipped)',
      labelNames: ['outcome'],
      registers,
    }),
    lifecycleChanges: new Counter({
      name: 'terrapulse_registry_lifecycle_changes_total',
      help: 'Committed device changes by audit action',
      labelNames: ['action'],
      registers,
    }),
  };
}
