/**
 * Lua scripts run atomically by Redis: a device change, its outbox entry and its audit entry are
 * stored together or not at all (the transactional outbox), and only when the record is still the
 * one the change was computed from (optimistic concurrency, no lost update between two instances).
 *
 * KEYS: device, allDevices, tenantDevices, outbox, audit, deviceAudit
 * ARGV: expected JSON ('' = must not exist), next JSON ('' = audit only), deviceId, audit JSON, tenant
 * Returns {1, auditId} or {0, currentJson|''}.
 */
export const COMMIT_DEVICE_CHANGE = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return {0, current} end
elseif current ~= ARGV[1] then
  return {0, current or ''}
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], 0, ARGV[3])
  redis.call('ZADD', KEYS[3], 0, ARGV[3])
  redis.call('XADD', KEYS[4], '*', 'deviceId', ARGV[3], 'record', ARGV[2])
end
local id = redis.call('XADD', KEYS[5], '*', 'entry', ARGV[4], 'tenant', ARGV[5])
redis.call('XADD', KEYS[6], id, 'entry', ARGV[4], 'tenant', ARGV[5])
return {1, id}
`;

/**
 * KEYS: token, tokenName, audit.  ARGV: token JSON, hash, audit JSON.
 * Returns 1, or 0 when the name is taken.
 */
export const CREATE_TOKEN = `
if redis.call('SET', KEYS[2], ARGV[2], 'NX') == false then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('XADD', KEYS[3], '*', 'entry', ARGV[3], 'tenant', '')
return 1
`;

/**
 * An audit entry with no device change (an import as a whole), written once per action: the mark
 * and the entry are stored together or not at all.
 * KEYS: audit, once.  ARGV: audit JSON, tenant, mark TTL in seconds.
 * Returns the entry id, or false when the mark exists.
 */
export const APPEND_AUDIT_ONCE = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) == false then return false end
return redis.call('XADD', KEYS[1], '*', 'entry', ARGV[1], 'tenant', ARGV[2])
`;

/** KEYS: lease. ARGV: owner, ttlMs. Takes the lease when free, renews it when ours. 1 = held. */
export const ACQUIRE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

/** KEYS: lease. ARGV: owner. Releases the lease only when ours. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS: lease, outbox. ARGV: owner, ids... Deletes published entries only while holding the lease. */
export const ACK_OUTBOX = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('XDEL', KEYS[2], unpack(ARGV, 2))
`;
