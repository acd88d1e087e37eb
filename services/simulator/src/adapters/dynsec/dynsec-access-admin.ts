import { type DynsecAcl, DynsecClient, DynsecCommandError } from '@terrapulse/infra-runner';
import type { AccessRule, MqttAccessAdmin } from '../../ports/mqtt-access-admin.js';

interface ListedClient {
  readonly username: string;
  readonly roles?: ReadonlyArray<{ readonly rolename: string }>;
}
interface ListedRole {
  readonly rolename: string;
  readonly acls?: readonly AccessRule[];
}

/** Mosquitto's dynamic security plugin, administered over MQTT with the admin credentials. */
export class DynsecAccessAdmin implements MqttAccessAdmin {
  private constructor(private readonly dynsec: DynsecClient) {}

  static async connect(
    url: string,
    admin: { username: string; password: string },
  ): Promise<DynsecAccessAdmin> {
    return new DynsecAccessAdmin(await DynsecClient.connect(url, admin));
  }

  async listClients(): Promise<Map<string, readonly string[]>> {
    const response = await this.dynsec.run({ command: 'listClients', verbose: true, count: -1 });
    const clients = (response.data as { clients?: ListedClient[] } | undefined)?.clients ?? [];
    return new Map(clients.map((c) => [c.username, (c.roles ?? []).map((r) => r.rolename)]));
  }

  async listRoles(): Promise<Map<string, readonly AccessRule[]>> {
    const response = await this.dynsec.run({ command: 'listRoles', verbose: true, count: -1 });
    const roles = (response.data as { roles?: ListedRole[] } | undefined)?.roles ?? [];
    return new Map(roles.map((r) => [r.rolename, r.acls ?? []]));
  }

  async ensureRole(rolename: string, rules: readonly AccessRule[], exists: boolean): Promise<void> {
    const acls: DynsecAcl[] = rules.map((r) => ({ ...r }));
    if (exists) await this.dynsec.ensureRoleAcls(rolename, acls);
    else await this.dynsec.ensureRole(rolename, acls);
  }

  async ensureClient(username: string, password: string, rolename: string): Promise<void> {
    await this.dynsec.ensureClient(username, password, [rolename]);
  }

  async addClientRole(username: string, rolename: string): Promise<void> {
    await this.dynsec.run({ command: 'addClientRole', username, rolename });
  }

  async deleteClient(username: string): Promise<void> {
    await this.ignoreMissing(this.dynsec.send({ command: 'deleteClient', username }), 'deleteClient');
  }

  async deleteRole(rolename: string): Promise<void> {
    await this.ignoreMissing(this.dynsec.send({ command: 'deleteRole', rolename }), 'deleteRole');
  }

  close(): Promise<void> {
    return this.dynsec.close();
  }

  private async ignoreMissing(response: Promise<{ error?: string }>, command: string): Promise<void> {
    const { error } = await response;
    if (error !== undefined && !/not found/i.test(error)) throw new DynsecCommandError(command, error);
  }
}
