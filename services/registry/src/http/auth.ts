import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { can, type Permission } from '../domain/access.js';
import type { Principal } from '../ports/actor.js';
import type { TokenStore } from '../ports/token-store.js';
import { ApiError } from './errors.js';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Who the bootstrap admin token authenticates as. */
export const BOOTSTRAP_ADMIN: Principal = Object.freeze({ name: 'admin', role: 'admin', tenant: null });

/** Resolves a bearer token to a principal; the token is compared by hash, in constant time. */
export function createAuthenticator(options: { adminToken: string; tokens: TokenStore }) {
  const adminHash = Buffer.from(hashToken(options.adminToken), 'hex');
  return async function authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(authorization ?? '');
    if (!match?.[1])
      throw new ApiError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
    const hash = hashToken(match[1]);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), adminHash)) return BOOTSTRAP_ADMIN;
    const record = await options.tokens.findByHash(hash);
    if (record === undefined) throw new ApiError('unauthorized', 'unknown token');
    return { name: record.name, role: record.role, tenant: record.tenant };
  };
}

const principals = new WeakMap<FastifyRequest, Principal>();

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** The caller, checked for a permission: 403 when its role lacks it. */
export function principalOf(request: FastifyRequest, permission: Permission = 'read'): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new ApiError('unauthorized', 'not authenticated');
  if (!can(principal, permission)) {
    throw new ApiError(
      'forbidden',
      `a ${principal.role} token cannot ${permission === 'read' ? 'read this' : 'do this'}`,
    );
  }
  return principal;
}
