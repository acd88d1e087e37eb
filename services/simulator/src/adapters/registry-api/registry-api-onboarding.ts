import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceRecord } from '@terrapulse/contracts';
import { forEachLimited, type Logger, silentLogger } from '@terrapulse/service-kit';
import type { CredentialStore } from '../../ports/credential-store.js';
import type { OnboardingResult, RegistryOnboarding } from '../../ports/registry-onboarding.js';

export interface RegistryApiOnboardingOptions {
  /** Base URL of the registry, e.g. http://127.0.0.1:8410 */
  readonly url: string;
  /** An admin or operator token of the tenants being onboarded. */
  readonly token: string;
  /** Requests in flight at once. @default 16 */
  readonly concurrency?: number;
  /** How long provisioning jobs may take, all devices together. @default 120 s */
  readonly provisionTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Raised when the registry refuses a request: the status and its error body say why. */
export class RegistryApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`registry ${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'RegistryApiError';
  }
}

interface DeviceView {
  readonly device: DeviceRecord;
}

/** States in which a device holds MQTT credentials the registry issued. */
const HOLDS_CREDENTIALS = new Set(['provisioned', 'active', 'silent']);

/** Onboards the simulated fleet through the registry's HTTP API (register, provision, wait). */
export class RegistryApiOnboarding implements RegistryOnboarding {
  private readonly logger: Logger;

  constructor(private readonly options: RegistryApiOnboardingOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async onboard(records: readonly DeviceRecord[], store: CredentialStore): Promise<OnboardingResult> {
    const passwords = new Map<string, string>();
    const counts = { registered: 0, provisioned: 0, unchanged: 0 };
    // Device id -> updatedAt of the record when its provisioning was asked for.
    const awaiting = new Map<string, string>();
    await forEachLimited(records, this.options.concurrency ?? 16, async (record) => {
      let view = await this.getDevice(record.deviceId);
      if (view === undefined) {
        view = await this.register(record);
        counts.registered++;
      }
      const state = view.device.state;
      if (state === 'suspended' || state === 'decommissioned') {
        this.logger.warn('device not provisioned: its registry state forbids it', {
          deviceId: record.deviceId,
          state,
        });
        return;
      }
      const stored = store.get(record.deviceId);
      if (stored !== undefined && HOLDS_CREDENTIALS.has(state)) {
        passwords.set(record.deviceId, stored);
        counts.unchanged++;
        return;
      }
      const { password, device } = await this.provision(record.deviceId);
      store.set(record.deviceId, password);
      passwords.set(record.deviceId, password);
      awaiting.set(record.deviceId, device.updatedAt);
      counts.provisioned++;
    });
    await store.save();
    await this.waitProvisioned(awaiting);
    this.logger.info('fleet onboarded through the registry', { devices: records.length, ...counts });
    return { passwords, ...counts };
  }

  private async getDevice(deviceId: string): Promise<DeviceView | undefined> {
    const response = await this.request('GET', `/api/v1/devices/${encodeURIComponent(deviceId)}`);
    if (response.status === 404) return undefined;
    return (await this.expect(response, 200, `GET device ${deviceId}`)) as DeviceView;
  }

  private async register(record: DeviceRecord): Promise<DeviceView> {
    const { state: _state, stateReason: _reason, updatedAt: _updated, ...draft } = record;
    const response = await this.request('POST', '/api/v1/devices', draft);
    return (await this.expect(response, 201, `register ${record.deviceId}`)) as DeviceView;
  }

  private async provision(deviceId: string): Promise<{ password: string; device: DeviceRecord }> {
    const response = await this.request('POST', `/api/v1/devices/${encodeURIComponent(deviceId)}/provision`);
    const body = (await this.expect(response, 202, `provision ${deviceId}`)) as {
      device: DeviceRecord;
      credentials: { password: string };
    };
    return { password: body.credentials.password, device: body.device };
  }

  /**
   * Provisioning runs as a job: a password works once the job changed the record (registered ->
   * provisioned, or a rotation of a provisioned device, which keeps its state). A job that gave up
   * leaves the device registered with "provisioning failed: ..."; that is final for this run.
   */
  private async waitProvisioned(asked: ReadonlyMap<string, string>): Promise<void> {
    const deadline = Date.now() + (this.options.provisionTimeoutMs ?? 120_000);
    let pending = [...asked.keys()];
    while (pending.length > 0) {
      const still: string[] = [];
      await forEachLimited(pending, this.options.concurrency ?? 16, async (deviceId) => {
        const device = (await this.getDevice(deviceId))?.device;
        const changed = device !== undefined && device.updatedAt !== asked.get(deviceId);
        if (changed && device.state !== 'registered') return;
        if (changed && device.stateReason?.startsWith('provisioning failed')) {
          throw new Error(`device ${deviceId} not provisioned: ${device.stateReason}`);
        }
        still.push(deviceId);
      });
      pending = still;
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${pending.length} devices still not provisioned, e.g. ${pending.slice(0, 5).join(', ')}`,
        );
      }
      await sleep(250);
    }
  }

  private request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(new URL(path, this.options.url), {
      method,
      headers: {
        authorization: `Bearer ${this.options.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  private async expect(response: Response, status: number, what: string): Promise<unknown> {
    const text = await response.text();
    if (response.status !== status) throw new RegistryApiError(response.status, text, what);
    return JSON.parse(text) as unknown;
  }
}
