import type { PublishError } from '../errors.js';

/**
 * How a simulated device reaches the broker: its own MQTT connection with its own credentials.
 * The adapter owns the connection (keepalive, reconnection); the simulation only publishes.
 */
export interface DeviceConnection {
  readonly deviceId: string;
  /**
   * Publishes at QoS 1. `onAck` runs exactly once: without argument when the broker acknowledged
   * the message with a success PUBACK, with an error when it refused it (e.g. not authorized) or
   * the connection was closed before the PUBACK.
   */
  publish(topic: string, payload: string, onAck: (error?: PublishError) => void): void;
  /** Runs `publishes` so that their packets leave in as few socket writes as possible. */
  batch(publishes: () => void): void;
  isConnected(): boolean;
  /** Closes the connection; `force` drops what is not acknowledged instead of waiting for it. */
  close(force?: boolean): Promise<void>;
}

export interface DeviceCredentials {
  readonly deviceId: string;
  readonly password: string;
}

export interface DeviceConnector {
  /** Resolves once the broker accepted the CONNECT; rejects when it refused it or timed out. */
  connect(credentials: DeviceCredentials): Promise<DeviceConnection>;
}
