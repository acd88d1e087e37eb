/** Raised when the broker's admin API cannot be reached or times out: the caller answers 503. */
export class MqttAccessUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MqttAccessUnavailableError';
  }
}

/**
 * Per-device MQTT credentials and ACLs (Mosquitto dynamic security). Every method is idempotent:
 * removing what does not exist, or granting what is granted, succeeds.
 */
export interface MqttAccess {
  /** Creates (or updates) the device's role, allowed to publish under its own topic only, and its client. */
  grant(deviceId: string, password: string): Promise<void>;
  /** Disables the client, which also disconnects an open connection. false = no such client. */
  disable(deviceId: string): Promise<boolean>;
  /** false = no such client (the device was never provisioned). */
  enable(deviceId: string): Promise<boolean>;
  /** Deletes the client and the role. */
  revoke(deviceId: string): Promise<void>;
  close(): Promise<void>;
}
