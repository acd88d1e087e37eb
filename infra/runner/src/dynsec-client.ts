import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;

export interface DynsecAcl {
  readonly acltype:
    | 'publishClientSend'
    | 'publishClientReceive'
    | 'subscribeLiteral'
    | 'subscribePattern'
    | 'unsubscribeLiteral'
    | 'unsubscribePattern';
  readonly topic: string;
  readonly allow: boolean;
  readonly priority?: number;
}

export interface DynsecResponse {
  readonly command: string;
  readonly error?: string;
  readonly data?: unknown;
  readonly correlationData?: string;
}

/** Raised when Mosquitto's dynamic security plugin refuses a command. */
export class DynsecCommandError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`dynsec ${command} failed: ${reason}`);
    this.name = 'DynsecCommandError';
  }
}

/**
 * Administers Mosquitto's dynamic security plugin over its MQTT control API:
 * per-device clients, roles and ACLs change at run time without a restart.
 */
export class DynsecClient {
  private readonly pending = new Map<string, (r: DynsecResponse) => void>();

  private constructor(private readonly client: MqttClient) {
    client.on('message', (_topic, payload) => this.onResponse(payload));
  }

  static async connect(url: string, admin: { username: string; password: string }): Promise<DynsecClient> {
    const client = await mqtt.connectAsync(url, {
      username: admin.username,
      password: admin.password,
      clientId: `tp-dynsec-${randomUUID()}`,
      reconnectPeriod: 1_000,
      connectTimeout: 5_000,
    });
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
    return new DynsecClient(client);
  }

  /** Sends one command and resolves with its response; rejects on timeout. */
  async send(
    command: Record<string, unknown> & { command: string },
    timeoutMs = 5_000,
  ): Promise<DynsecResponse> {
    const correlationData = randomUUID();
    const response = new Promise<DynsecResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationData);
        reject(new Error(`dynsec ${command.command}: no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationData, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    await this.client.publishAsync(
      CONTROL_TOPIC,
      JSON.stringify({ commands: [{ ...command, correlationData }] }),
      {
        qos: 1,
      },
    );
    return response;
  }

  /** Like send, but a response carrying an error becomes a DynsecCommandError. */
  async run(command: Record<string, unknown> & { command: string }): Promise<DynsecResponse> {
    const response = await this.send(command);
    if (response.error) throw new DynsecCommandError(command.command, response.error);
    return response;
  }

  async ensureRole(rolename: string, acls: readonly DynsecAcl[]): Promise<void> {
    const created = await this.send({ command: 'createRole', rolename, acls });
    if (created.error && !/already exists/i.test(created.error)) {
      throw new DynsecCommandError('createRole', created.error);
    }
  }

  async ensureClient(username: string, password: string, roles: readonly string[]): Promise<void> {
    const created = await this.send({
      command: 'createClient',
      username,
      password,
      roles: roles.map((rolename) => ({ rolename })),
    });
    if (!created.error) return;
    if (!/already exists/i.test(created.error)) throw new DynsecCommandError('createClient', created.error);
    // The client exists from an earlier run: make its password and roles current.
    await this.run({ command: 'setClientPassword', username, password });
    const current = await this.run({ command: 'getClient', username });
    const held = new Set(
      ((current.data as { client?: { roles?: Array<{ rolename: string }> } })?.client?.roles ?? []).map(
        (r) => r.rolename,
      ),
    );
    // Mosquitto 2.0 answers "Internal error" when a role is added twice, so add only missing ones.
    for (const rolename of roles.filter((r) => !held.has(r))) {
      await this.run({ command: 'addClientRole', username, rolename });
    }
  }

  /** Adds ACLs to an existing role, skipping those it already has. */
  async ensureRoleAcls(rolename: string, acls: readonly DynsecAcl[]): Promise<void> {
    const current = await this.run({ command: 'getRole', rolename });
    const held = (current.data as { role?: { acls?: DynsecAcl[] } })?.role?.acls ?? [];
    for (const acl of acls) {
      if (held.some((h) => h.acltype === acl.acltype && h.topic === acl.topic)) continue;
      await this.run({ command: 'addRoleACL', rolename, ...acl });
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private onResponse(payload: Buffer): void {
    let parsed: { responses?: DynsecResponse[] };
    try {
      parsed = JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] };
    } catch {
      return;
    }
    for (const response of parsed.responses ?? []) {
      const id = response.correlationData;
      const resolve = id === undefined ? undefined : this.pending.get(id);
      if (id !== undefined && resolve) {
        this.pending.delete(id);
        resolve(response);
      }
    }
  }
}
