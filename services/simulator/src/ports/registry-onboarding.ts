import type { DeviceRecord } from '@terrapulse/contracts';
import type { CredentialStore } from './credential-store.js';

export interface OnboardingResult {
  /** Device id -> MQTT password, for every device the registry provisioned now or before. */
  readonly passwords: Map<string, string>;
  readonly registered: number;
  readonly provisioned: number;
  readonly unchanged: number;
}

/**
 * Onboarding through the registry service, as an operator would: register the devices it lacks,
 * provision those whose password this run does not hold, wait until their credentials work.
 */
export interface RegistryOnboarding {
  onboard(records: readonly DeviceRecord[], store: CredentialStore): Promise<OnboardingResult>;
}
