/** Where a run keeps its devices' MQTT passwords, so the next run can connect without re-provisioning. */
export interface CredentialStore {
  get(deviceId: string): string | undefined;
  set(deviceId: string, password: string): void;
  delete(deviceId: string): void;
  /** Makes the changes durable (a file written with owner-only permissions). */
  save(): Promise<void>;
}
