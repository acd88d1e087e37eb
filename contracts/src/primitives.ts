import { z } from 'zod';

/**
 * A device's identity everywhere: MQTT client id and topic segment, Kafka key, InfluxDB tag.
 * Lower-case ASCII, digits and dashes only, because the id is spliced into MQTT topics and ACL
 * patterns: a `/`, `+` or `#` in it would let one device publish as another.
 */
export const DeviceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
  .describe('Device identifier: 2 to 63 characters, lower-case letters, digits and dashes');
export type DeviceId = z.infer<typeof DeviceId>;

/** Tenant and site identifiers share the device id alphabet so they can be tags and URL segments. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
  .describe('Identifier: 1 to 63 characters, lower-case letters, digits and dashes');
export type Slug = z.infer<typeof Slug>;

/** Integer milliseconds since the Unix epoch, UTC. Every Kafka record carries times this way. */
export const EpochMs = z
  .int()
  .min(0)
  .max(8_640_000_000_000_000)
  .describe('Milliseconds since 1970-01-01T00:00:00Z (integer)');
export type EpochMs = z.infer<typeof EpochMs>;

/** True when the runtime knows the zone, so aggregates never carry a zone nobody can compute with. */
export function isIanaTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const IanaTimezone = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimezone, { message: 'Unknown IANA time zone' })
  .describe('IANA time zone name, e.g. Europe/Paris');
export type IanaTimezone = z.infer<typeof IanaTimezone>;
