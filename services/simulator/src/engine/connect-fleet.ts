import type { Logger } from '@terrapulse/service-kit';
import type { DeviceConnection, DeviceConnector } from '../ports/device-connector.js';
import type { DevicePlan } from './run-plan.js';

export interface FleetConnections {
  readonly connections: Map<string, DeviceConnection>;
  readonly failures: unknown[];
}

/**
 * Connects every device with its own credentials, a bounded number at a time: several hundred
 * CONNECTs at once would queue in the broker's accept backlog and time out for no reason.
 */
export async function connectFleet(
  plans: readonly DevicePlan[],
  options: {
    readonly passwords: ReadonlyMap<string, string>;
    readonly connector: DeviceConnector;
    readonly connectConcurrency?: number;
  },
  logger: Logger,
): Promise<FleetConnections> {
  const connections = new Map<string, DeviceConnection>();
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < plans.length; i = next++) {
      const deviceId = plans[i]?.device.record.deviceId ?? '';
      const password = options.passwords.get(deviceId);
      if (password === undefined) {
        failures.push(new Error(`no password for ${deviceId}: provision the fleet first`));
        continue;
      }
      try {
        connections.set(deviceId, await options.connector.connect({ deviceId, password }));
      } catch (error) {
        failures.push(error);
        if (failures.length <= 5) logger.warn('device could not connect', { deviceId, error });
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.connectConcurrency ?? 32, plans.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures.length > 0) logger.warn('devices without a connection', { failed: failures.length });
  return { connections, failures };
}
