import { describe, expect, it } from 'vitest';
import { can, canSeeTenant, scopeExcludesAll, tenantScope } from '../src/domain/access.js';
import type { Principal } from '../src/ports/actor.js';

const admin: Principal = { name: 'root', role: 'admin', tenant: null };
const operator: Principal = { name: 'op', role: 'operator', tenant: 'commune-a' };
const viewer: Principal = { name: 'v', role: 'viewer', tenant: 'commune-a' };

describe('access rules', () => {
  it('a viewer should read but never write, administer or read the audit log', () => {
    expect(can(viewer, 'read')).toBe(true);
    expect(can(viewer, 'write')).toBe(false);
    expect(can(viewer, 'admin')).toBe(false);
    expect(can(viewer, 'audit')).toBe(false);
  });

  it('an operator should write and read the audit log but not create tokens', () => {
    expect(can(operator, 'write')).toBe(true);
    expect(can(operator, 'audit')).toBe(true);
    expect(can(operator, 'admin')).toBe(false);
  });

  it('an admin should be allowed everything', () => {
    for (const p of ['read', 'write', 'admin', 'audit'] as const) expect(can(admin, p)).toBe(true);
  });

  it('an operator should see only their tenant; an admin every tenant', () => {
    expect(canSeeTenant(operator, 'commune-a')).toBe(true);
    expect(canSeeTenant(operator, 'commune-b')).toBe(false);
    expect(canSeeTenant(admin, 'commune-b')).toBe(true);
  });

  it("a list should be scoped to the operator's tenant whatever the filter asks", () => {
    expect(tenantScope(operator, undefined)).toBe('commune-a');
    expect(tenantScope(operator, 'commune-b')).toBe('commune-a');
    expect(scopeExcludesAll(operator, 'commune-b')).toBe(true);
    expect(scopeExcludesAll(operator, 'commune-a')).toBe(false);
    expect(tenantScope(admin, undefined)).toBeUndefined();
    expect(tenantScope(admin, 'commune-b')).toBe('commune-b');
  });
});
