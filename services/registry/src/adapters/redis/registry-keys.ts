/** Every Redis key of one registry, under its prefix (tests get a unique one). */
export interface RegistryKeys {
  readonly prefix: string;
  device(deviceId: string): string;
  /** Sorted set (score 0) of every deviceId, for lexicographic paging. */
  readonly allDevices: string;
  tenantDevices(tenant: string): string;
  /** Stream of device records waiting to be published to Kafka. */
  readonly outbox: string;
  /** Who relays the outbox (a lease with a TTL). */
  readonly relayLease: string;
  readonly audit: string;
  deviceAudit(deviceId: string): string;
  /** Marks an action recorded (AuditLog.record), so a retry does not record it twice. */
  auditOnce(action: string): string;
  token(hash: string): string;
  tokenName(name: string): string;
  /** BullMQ's own prefix, so queues are isolated with the rest. */
  readonly bullPrefix: string;
}

export function registryKeys(prefix: string): RegistryKeys {
  return {
    prefix,
    device: (id) => `${prefix}device:${id}`,
    allDevices: `${prefix}devices`,
    tenantDevices: (tenant) => `${prefix}tenant:${tenant}:devices`,
    outbox: `${prefix}outbox`,
    relayLease: `${prefix}outbox:lease`,
    audit: `${prefix}audit`,
    deviceAudit: (id) => `${prefix}audit:device:${id}`,
    auditOnce: (action) => `${prefix}audit:once:${action}`,
    token: (hash) => `${prefix}token:${hash}`,
    tokenName: (name) => `${prefix}token-name:${name}`,
    bullPrefix: `${prefix}bull`,
  };
}
