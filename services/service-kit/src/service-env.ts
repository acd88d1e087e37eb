import { z } from 'zod';

/**
 * Environment pieces every service shares; each service's config.ts extends
 * these with its own variables and parses them once in main.ts.
 */
export const CommonEnv = z.object({
  /** `development` allows local conveniences; anything else is production. */
  TERRAPULSE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Host of the /healthz and /metrics endpoint. */
  OPS_HOST: z.string().default('127.0.0.1'),
});

export const KafkaEnv = z.object({
  /** Comma-separated bootstrap brokers, host:port. */
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
});

export const port = z.coerce.number().int().min(0).max(65535);

/** Turns a zod failure on the environment into one readable message naming each variable. */
export function formatEnvError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
}

export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration: ${formatEnvError(parsed.error)}`);
  return parsed.data;
}
