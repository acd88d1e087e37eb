import type { Principal, Role } from '../ports/actor.js';

/** What a route does, from the access-control point of view. */
export type Permission = 'read' | 'write' | 'admin' | 'audit';

const granted: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'admin', 'audit'],
  operator: ['read', 'write', 'audit'],
  viewer: ['read'],
};

export function can(principal: Principal, permission: Permission): boolean {
  return granted[principal.role].includes(permission);
}

/** Whether the principal may see a device of this tenant (another tenant's device is a 404). */
export function canSeeTenant(principal: Principal, tenant: string): boolean {
  return principal.tenant === null || principal.tenant === tenant;
}

/**
 * The tenant a list is restricted to: an operator or viewer always their own (a `tenant` filter
 * naming another one yields nothing rather than an error, like a filter that matches nothing).
 */
export function tenantScope(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.tenant === null) return requested;
  return principal.tenant;
}

/** A request for another tenant's data by an operator that must match nothing. */
export function scopeExcludesAll(principal: Principal, requested: string | undefined): boolean {
  return principal.tenant !== null && requested !== undefined && requested !== principal.tenant;
}
