export { DeadLetterFactory, type DeadLetterSource, type RejectionCause } from './dead-letter.js';
export { decodeEnvelope } from './decode-envelope.js';
export { decodeSenml } from './decode-senml.js';
export type { DecodedItem, DecodedUplink } from './decoded-uplink.js';
export {
  type DeviceLookup,
  DeviceTable,
  type KnownDevice,
  knownDevice,
  parseRegistryRecord,
  type RegistryChange,
} from './device-table.js';
export { normalizeReading, type ReadingCheck, type ReadingContext } from './normalize-reading.js';
export { type RawHeaderValue, type RawUplink, readRawHeaders } from './raw-uplink.js';
export { encodeReading } from './reading-encoder.js';
export { type UplinkMeta, UplinkMetaReader } from './uplink-meta-reader.js';
export {
  createUplinkValidator,
  type UplinkValidation,
  type UplinkValidator,
  type UplinkValidatorOptions,
} from './validate-uplink.js';
export {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  defaultValidationPolicy,
  type ValidationPolicy,
} from './validation-policy.js';
