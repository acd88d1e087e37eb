import { randomBytes } from 'node:crypto';
import { deviceAclTopic } from '@terrapulse/contracts';
import { forEachLimited, type Logger, silentLogger } from '@terrapulse/service-kit';
import type { SimDevice } from '../domain/types.js';
import type { CredentialStore } from '../ports/credential-store.js';
import type { AccessRule, MqttAccessAdmin } from '../ports/mqtt-access-admin.js';

export interface ProvisionOptions {
  readonly admin: MqttAccessAdmin;
  readonly store: CredentialStore;
  /** Dynamic-security commands in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Give every device a new password even when the store has one. @default false */
  readonly rotatePasswords?: boolean;
  readonly logger?: Logger;
  /** @default 24 random characters (144 bits) */
  readonly generatePassword?: () => string;
}

export interface ProvisionResult {
  /** Device id -> MQTT password, for every device of the fleet. */
  readonly passwords: Map<string, string>;
  readonly createdClients: number;
  /** Existing clients given a new password (none stored, or rotation asked). */
  readonly updatedClients: number;
  readonly createdRoles: number;
  readonly unchanged: number;
}

/** The registry's naming: one role per device, granting its own uplink topics only. */
export function deviceRoleName(deviceId: string): string {
  return `device-${deviceId}`;
}

export function deviceAccessRule(deviceId: string): AccessRule {
  return { acltype: 'publishClientSend', topic: deviceAclTopic(deviceId), allow: true };
}

const randomPassword = (): string => randomBytes(18).toString('base64url');

/**
 * Gives every device (registered or not: an unknown device still has credentials) an MQTT client
 * and a role that may publish under its own topic only. Idempotent and cheap on a second run: one
 * listing of clients and roles, then commands only for what is missing or stale.
 */
export async function provisionFleet(
  devices: readonly SimDevice[],
  options: ProvisionOptions,
): Promise<ProvisionResult> {
  const { admin, store } = options;
  const logger = options.logger ?? silentLogger;
  const generate = options.generatePassword ?? randomPassword;
  const [clients, roles] = await Promise.all([admin.listClients(), admin.listRoles()]);
  const passwords = new Map<string, string>();
  const counts = { createdClients: 0, updatedClients: 0, createdRoles: 0, unchanged: 0 };

  const provisionOne = async (deviceId: string): Promise<void> => {
    const rolename = deviceRoleName(deviceId);
    const rule = deviceAccessRule(deviceId);
    const acls = roles.get(rolename);
    if (acls === undefined) {
      await admin.ensureRole(rolename, [rule], false);
      counts.createdRoles++;
    } else if (!acls.some((a) => a.acltype === rule.acltype && a.topic === rule.topic && a.allow)) {
      await admin.ensureRole(rolename, [rule], true);
    }
    const stored = options.rotatePasswords === true ? undefined : store.get(deviceId);
    const held = clients.get(deviceId);
    let password = stored;
    if (held === undefined || stored === undefined) {
      password = stored ?? generate();
      // Creates the client, or (it exists without a password we know) sets a new one and the role.
      await admin.ensureClient(deviceId, password, rolename);
      if (held === undefined) counts.createdClients++;
      else counts.updatedClients++;
      store.set(deviceId, password);
    } else {
      if (!held.includes(rolename)) await admin.addClientRole(deviceId, rolename);
      counts.unchanged++;
    }
    passwords.set(deviceId, password ?? '');
  };

  await forEachLimited(
    devices.map((d) => d.record.deviceId),
    options.concurrency ?? 16,
    provisionOne,
  );
  await store.save();
  logger.info('fleet provisioned', { devices: devices.length, ...counts });
  return { passwords, ...counts };
}

/** Deletes the devices' clients and roles and forgets their passwords (tests and benchmarks clean up). */
export async function deprovisionFleet(
  devices: readonly SimDevice[],
  options: {
    readonly admin: MqttAccessAdmin;
    readonly store?: CredentialStore;
    readonly concurrency?: number;
  },
): Promise<void> {
  await forEachLimited(
    devices.map((d) => d.record.deviceId),
    options.concurrency ?? 16,
    async (deviceId) => {
      await options.admin.deleteClient(deviceId);
      await options.admin.deleteRole(deviceRoleName(deviceId));
      options.store?.delete(deviceId);
    },
  );
  await options.store?.save();
}
