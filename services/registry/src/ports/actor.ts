/** Who did something: a token's holder, or the registry itself for automatic transitions. */
export type Role = 'admin' | 'operator' | 'viewer';

export interface Actor {
  readonly name: string;
  readonly role: Role | 'system';
}

/** The authenticated caller of the HTTP API; operators and viewers are bound to one tenant. */
export interface Principal extends Actor {
  readonly role: Role;
  /** null for admins, who see every tenant. */
  readonly tenant: string | null;
}

/** The actor of automatic transitions (activation, silence, failed provisioning). */
export const SYSTEM_ACTOR: Actor = Object.freeze({ name: 'system', role: 'system' });
