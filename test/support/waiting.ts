import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it holds; throws with the deadline when it never does. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** The InfluxQL connection settings of a local environment. */
export function influxEnv(env: Record<string, string>) {
  return {
    influxUrl: env.INFLUX_URL ?? '',
    influxDatabase: env.INFLUX_DATABASE ?? 'terrapulse',
    influxUsername: env.INFLUX_USERNAME ?? '',
    influxPassword: env.INFLUX_PASSWORD ?? '',
  };
}
