import { z } from 'zod';

/** What the registry knows about a device's traffic (the health tracker fills it). */
export const DeviceHealth = z
  .object({
    lastSeenAt: z.iso.datetime().nullable().describe('Time of the last valid reading, UTC'),
    readingsLastHour: z.int().min(0),
    expectedPerHour: z.number().min(0).describe('3600 / expectedIntervalS'),
    rateRatio: z
      .number()
      .min(0)
      .nullable()
      .describe('readingsLastHour / expectedPerHour; null before any reading'),
    rejectedCount: z.int().min(0),
    lastRejection: z.object({ reason: z.string(), detail: z.string(), at: z.iso.datetime() }).nullable(),
    silentSince: z.iso.datetime().nullable(),
  })
  .describe('Health of a device: last seen, rate against expected, rejections');
export type DeviceHealth = z.infer<typeof DeviceHealth>;
