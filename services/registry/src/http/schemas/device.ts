import { DeviceRecord } from '@terrapulse/contracts';
import { z } from 'zod';
import { DeviceHealth } from './device-health.js';

const { state: _state, stateReason: _reason, updatedAt: _updated, ...draftShape } = DeviceRecord.shape;
const { deviceId: _id, tenant: _tenant, ...patchShape } = draftShape;

/**
 * A device as an operator submits it: the record without its lifecycle fields. Unknown fields
 * are refused (a typo must not be silently dropped). Cross-field rules (kind vs domain, metrics
 * of the domain) are checked on the composed record with DeviceRecord.
 */
export const DeviceDraft = z.strictObject(draftShape).describe('A new device (POST /api/v1/devices)');
export type DeviceDraft = z.infer<typeof DeviceDraft>;

/**
 * A partial draft; deviceId, tenant and state cannot change. An optional field of the record
 * (siteName, location, externalIds, meterRole...) may be `null`: the field is removed.
 */
export const DevicePatch = z
  .strictObject(
    Object.fromEntries(
      Object.entries(patchShape).map(([key, schema]) => [
        key,
        schema instanceof z.ZodOptional ? schema.unwrap().nullable().optional() : schema.optional(),
      ]),
    ) as PatchShape,
  )
  .describe('Fields to change (PATCH /api/v1/devices/{id}); null removes an optional field');
export type DevicePatch = z.infer<typeof DevicePatch>;

type Shape = typeof patchShape;
type PatchShape = {
  [K in keyof Shape]: Shape[K] extends z.ZodOptional<infer Inner>
    ? z.ZodOptional<z.ZodNullable<Inner>>
    : z.ZodOptional<Shape[K]>;
};

/** The record after a patch: fields set to null are removed, the others replaced. */
export function applyPatch<T extends Record<string, unknown>>(record: T, patch: DevicePatch): T {
  const next: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as T;
}

export const DeviceView = z
  .object({ device: DeviceRecord, health: DeviceHealth })
  .describe('A device with its health');
export type DeviceView = z.infer<typeof DeviceView>;

export const DeviceList = z.object({
  items: z.array(DeviceView),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
});

export const DeviceListQuery = z.strictObject({
  tenant: z.string().max(63).optional(),
  site: z.string().max(63).optional(),
  domain: z.string().max(32).optional(),
  kind: z.string().max(32).optional(),
  state: DeviceRecord.shape.state.optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const DeviceIdParams = z.strictObject({ id: DeviceRecord.shape.deviceId });

export const ReasonBody = z.strictObject({
  reason: z.string().trim().min(1).max(400).describe('Why; kept in stateReason and the audit log'),
});

export const ProvisionResponse = z
  .object({
    device: DeviceRecord,
    credentials: z.object({
      username: z.string(),
      password: z.string().describe('Shown once; the registry keeps no clear copy'),
      topics: z.object({ json: z.string(), senml: z.string() }),
    }),
    jobId: z.string(),
  })
  .describe('Credentials are applied to the broker by a job; the device turns provisioned when it ran');
