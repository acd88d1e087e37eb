import type { DeviceLookup } from '../domain/index.js';

/** The device registry as the validator sees it: a complete, live, in-memory table. */
export interface DeviceDirectory {
  /** Loads every device; resolves once the table has caught up with the registry, then follows it. */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly lookup: DeviceLookup;
  isLoaded(): boolean;
  size(): number;
}
