import { z } from 'zod';

const isoDate = z.iso.date();

/** The service's jobs, one zod schema per job name: a payload is parsed before it is run. */
export const JOB_CATALOGUE = {
  /** Recompute daily indicators: the last `lookbackDays` local days, or the dates given. */
  'compute-indicators': z
    .strictObject({
      lookbackDays: z.int().min(1).max(400).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    })
    .refine((d) => (d.from === undefined) === (d.to === undefined), 'from and to go together'),
  /** fleet_devices + device_status snapshot. */
  'fleet-snapshot': z.strictObject({}),
  /** pipeline_lag snapshot. */
  'pipeline-lag': z.strictObject({}),
} as const;

export type JobName = keyof typeof JOB_CATALOGUE;
export type JobData<N extends JobName> = z.infer<(typeof JOB_CATALOGUE)[N]>;
export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_CATALOGUE, name);
}
