import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_ADMIN, createAuthenticator, hashToken } from '../src/http/auth.js';
import { ApiError } from '../src/http/errors.js';
import type { TokenRecord, TokenStore } from '../src/ports/token-store.js';

const adminToken = 'a'.repeat(40);
const operatorToken = `tpr_${'b'.repeat(43)}`;

/** Token lookup by hash (the Redis adapter's behaviour is covered by the integration tests). */
const tokens: TokenStore = {
  async findByHash(hash) {
    if (hash !== hashToken(operatorToken)) return undefined;
    return {
      name: 'op',
      role: 'operator',
      tenant: 'commune-a',
      createdAt: '2025-01-01T00:00:00Z',
    } as TokenRecord;
  },
  async create() {
    return true;
  },
};
const authenticate = createAuthenticator({ adminToken, tokens });

async function failure(header: string | undefined): Promise<ApiError> {
  try {
    await authenticate(header);
  } catch (error) {
    if (error instanceof ApiError) return error;
  }
  throw new Error('expected an ApiError');
}

describe('bearer authentication', () => {
  it('the bootstrap token should authenticate as the admin', async () => {
    expect(await authenticate(`Bearer ${adminToken}`)).toEqual(BOOTSTRAP_ADMIN);
  });

  it('a created token should authenticate as its holder, bound to its tenant', async () => {
    expect(await authenticate(`Bearer ${operatorToken}`)).toEqual({
      name: 'op',
      role: 'operator',
      tenant: 'commune-a',
    });
  });

  it.each([undefined, '', 'Basic abc', 'Bearer', 'Bearer short'])('%s should be a 401', async (header) => {
    const error = await failure(header);
    expect(error.status).toBe(401);
    expect(error.body().error).toBe('unauthorized');
  });

  it('an unknown token should be a 401 that says so', async () => {
    const error = await failure(`Bearer ${'c'.repeat(40)}`);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/unknown token/);
  });

  it('tokens should be stored as sha256 hex, never in clear', () => {
    expect(hashToken('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(operatorToken)).not.toContain(operatorToken);
  });
});
