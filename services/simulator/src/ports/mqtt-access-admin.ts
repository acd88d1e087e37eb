/** An ACL entry of the broker, as Mosquitto's dynamic security plugin spells it. */
export interface AccessRule {
  readonly acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribeLiteral' | 'subscribePattern';
  readonly topic: string;
  readonly allow: boolean;
}

/**
 * The broker's account administration, as provisioning needs it: which clients and roles exist,
 * and idempotent ways to make one device's client and role what they should be.
 */
export interface MqttAccessAdmin {
  /** Usernames of every client, with the roles each holds. */
  listClients(): Promise<Map<string, readonly string[]>>;
  /** Every role with its ACLs. */
  listRoles(): Promise<Map<string, readonly AccessRule[]>>;
  /** Creates the role, or adds the rules it lacks when it exists. */
  ensureRole(rolename: string, rules: readonly AccessRule[], exists: boolean): Promise<void>;
  /** Creates the client with this password and role, or makes an existing one current. */
  ensureClient(username: string, password: string, rolename: string): Promise<void>;
  addClientRole(username: string, rolename: string): Promise<void>;
  deleteClient(username: string): Promise<void>;
  deleteRole(rolename: string): Promise<void>;
}
