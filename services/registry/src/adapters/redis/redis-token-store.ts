import type { Redis } from 'ioredis';
import type { AuditDraft } from '../../ports/audit-log.js';
import type { TokenRecord, TokenStore } from '../../ports/token-store.js';
import { CREATE_TOKEN } from './lua-scripts.js';
import { auditBody } from './redis-device-store.js';
import type { RegistryKeys } from './registry-keys.js';

/** Tokens by sha256 hash; the name index makes names unique. */
export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RegistryKeys,
  ) {}

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    const raw = await this.redis.get(this.keys.token(hash));
    return raw === null ? undefined : (JSON.parse(raw) as TokenRecord);
  }

  async create(hash: string, record: TokenRecord, audit: AuditDraft): Promise<boolean> {
    const created = await this.redis.eval(
      CREATE_TOKEN,
      3,
      this.keys.token(hash),
      this.keys.tokenName(record.name),
      this.keys.audit,
      JSON.stringify(record),
      hash,
      JSON.stringify(auditBody(audit)),
    );
    return created === 1;
  }
}
