import mqtt from 'mqtt';
import { influxQuery } from '../support/influxql.js';

type InfluxEnv = Parameters<typeof influxQuery>[0];

/**
 * Publish-to-queryable latency: one device publishes readings stamped with the
 * wall clock at a fixed rate while a poller asks InfluxDB every `pollMs` for
 * points it has not seen; a point's latency is when it was first seen minus its
 * timestamp (resolution: the poll interval).
 */
export async function measureLatency(options: {
  mqttUrl: string;
  deviceId: string;
  password: string;
  influx: InfluxEnv;
  measurement: string;
  ratePerS: number;
  count: number;
  pollMs?: number;
}): Promise<number[]> {
  const client = await mqtt.connectAsync(options.mqttUrl, {
    username: options.deviceId,
    password: options.password,
    clientId: `${options.deviceId}-probe`,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  const topic = `terrapulse/v1/devices/${options.deviceId}/up/json`;
  const latencies: number[] = [];
  const seen = new Set<number>();
  const pollMs = options.pollMs ?? 50;
  const since = Date.now();
  let publishing = true;
  const poller = (async () => {
    while (publishing || latencies.length < options.count) {
      const series = await influxQuery(
        options.influx,
        `SELECT "value" FROM "${options.measurement}" WHERE "device" = '${options.deviceId}' AND time >= ${since}ms`,
      );
      const now = Date.now();
      for (const [ts] of series[0]?.values ?? []) {
        const t = ts as number;
        if (!seen.has(t)) {
          seen.add(t);
          latencies.push(now - t);
        }
      }
      if (!publishing && Date.now() - since > 60_000) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();
  const gap = 1000 / options.ratePerS;
  const start = Date.now();
  for (let i = 0; i < options.count; i++) {
    const due = start + i * gap;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ts = Date.now();
    const payload = JSON.stringify({
      v: 1,
      deviceId: options.deviceId,
      readings: [{ metric: 'energy.active_power', value: 1000 + i, unit: 'W', ts }],
    });
    await client.publishAsync(topic, payload, { qos: 1 });
  }
  publishing = false;
  await poller;
  await client.endAsync();
  return latencies;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}
