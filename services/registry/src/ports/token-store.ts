import type { Principal } from './actor.js';
import type { AuditDraft } from './audit-log.js';

export interface TokenRecord extends Principal {
  readonly createdAt: string;
}

/** API tokens, stored by sha256 hash only: the clear token is shown once, at creation. */
export interface TokenStore {
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  /** false = a token with this name exists. Stored with its audit entry in one atomic step. */
  create(hash: string, record: TokenRecord, audit: AuditDraft): Promise<boolean>;
}
