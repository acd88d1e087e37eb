import type { DeviceRecord } from '@terrapulse/contracts';

/** Where device records go for the validator to find them (the compacted registry topic). */
export interface RegistrySink {
  /** Resolves once every record is durable (acknowledged by all in-sync replicas). */
  publish(records: readonly DeviceRecord[]): Promise<void>;
}
