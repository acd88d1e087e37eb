import type { DeviceTimestamp, EnvelopeReading, RejectionReason } from '@terrapulse/contracts';
import type { RejectionCause } from './dead-letter.js';

/**
 * Both uplink formats decode to this shape, so the checks after decoding run one code path.
 * `path` points a dead letter at the reading in the payload: `readings.3` in an envelope, the
 * record index `3` in a SenML pack.
 */
export type DecodedItem =
  | { readonly ok: true; readonly path: string; readonly reading: EnvelopeReading }
  | ({ readonly ok: false; readonly path: string } & RejectionCause);

export type DecodedUplink =
  | {
      readonly ok: true;
      /** The identity the payload claims; compared with the topic's before anything else. */
      readonly deviceId: string;
      readonly envelopeTs?: DeviceTimestamp;
      readonly seq?: number;
      readonly items: readonly DecodedItem[];
    }
  | ({ readonly ok: false } & RejectionCause);

export const failure = (
  reason: RejectionReason,
  detail: string,
  issues?: RejectionCause['issues'],
): Extract<DecodedUplink, { ok: false }> => ({
  ok: false,
  reason,
  detail,
  ...(issues !== undefined && { issues }),
});
