import { deviceAclTopic } from '@terrapulse/contracts';
import { DynsecClient, DynsecCommandError } from '@terrapulse/infra-runner';
import type { Logger } from '@terrapulse/service-kit';
import { type MqttAccess, MqttAccessUnavailableError } from '../../ports/mqtt-access.js';

/** The naming the simulator and tests share: one role per device, granting its own uplinks only. */
export function deviceRoleName(deviceId: string): string {
  return `device-${deviceId}`;
}

export interface DynsecAccessOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly logger: Logger;
}

const notFound = (error: unknown): boolean =>
  error instanceof DynsecCommandError && /not found/i.test(error.reason);

/**
 * MqttAccess over Mosquitto's dynamic-security control topic. Connects lazily and again after a
 * failure, so the registry starts (and answers 503 on credential routes) while Mosquitto is down.
 * The MQTT username of a device is its deviceId.
 */
export class DynsecMqttAccess implements MqttAccess {
  private client: Promise<DynsecClient> | undefined;

  constructor(private readonly options: DynsecAccessOptions) {}

  async grant(deviceId: string, password: string): Promise<void> {
    const rolename = deviceRoleName(deviceId);
    const acl = { acltype: 'publishClientSend', topic: deviceAclTopic(deviceId), allow: true } as const;
    await this.use(async (dynsec) => {
      await dynsec.ensureRole(rolename, [acl]);
      await dynsec.ensureRoleAcls(rolename, [acl]);
      await dynsec.ensureClient(deviceId, password, [rolename]);
    });
  }

  async disable(deviceId: string): Promise<boolean> {
    return this.command({ command: 'disableClient', username: deviceId });
  }

  async enable(deviceId: string): Promise<boolean> {
    return this.command({ command: 'enableClient', username: deviceId });
  }

  async revoke(deviceId: string): Promise<void> {
    await this.command({ command: 'deleteClient', username: deviceId });
    await this.command({ command: 'deleteRole', rolename: deviceRoleName(deviceId) });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }

  /** Runs one command; false when its subject does not exist. */
  private async command(command: Record<string, unknown> & { command: string }): Promise<boolean> {
    return this.use(async (dynsec) => {
      try {
        await dynsec.run(command);
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        throw error;
      }
    });
  }

  private async use<T>(run: (dynsec: DynsecClient) => Promise<T>): Promise<T> {
    let dynsec: DynsecClient;
    try {
      this.client ??= DynsecClient.connect(this.options.url, {
        username: this.options.username,
        password: this.options.password,
      });
      dynsec = await this.client;
    } catch (error) {
      this.client = undefined;
      throw new MqttAccessUnavailableError(`Mosquitto unreachable at ${this.options.url}`, { cause: error });
    }
    try {
      return await run(dynsec);
    } catch (error) {
      if (error instanceof DynsecCommandError) throw error;
      // A timeout: the broker went away after we connected.
      this.options.logger.warn('dynamic security command failed', { error });
      throw new MqttAccessUnavailableError('Mosquitto did not answer the dynamic-security command', {
        cause: error,
      });
    }
  }
}
