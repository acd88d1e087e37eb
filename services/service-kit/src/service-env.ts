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

/** Where a service reads or writes InfluxDB 1.8 (influx-writer, indicators). */
export const InfluxEnv = z.object({
  /** Base URL of InfluxDB. Required: a service pointed at a default host would work on nothing useful. */
  INFLUX_URL: z.url(),
  INFLUX_DATABASE: z.string().min(1).default('terrapulse'),
  /** With the database, the v2 bucket `database/retention-policy` of InfluxDB 1.8. */
  INFLUX_RETENTION_POLICY: z.string().min(1).default('autogen'),
  /** Credentials: required, never defaulted. */
  INFLUX_USERNAME: z.string().min(1),
  INFLUX_PASSWORD: z.string().min(1),
  /**
   * Prepended to every measurement read and written, so tests and benchmarks use measurements of
   * their own in the shared database. Empty in production: the dashboards query the bare names.
   */
  INFLUX_MEASUREMENT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/, 'letters, digits and underscores only')
    .default(''),
  /** A request not answered within this time is abandoned (and retried where the service retries). */
  INFLUX_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
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
