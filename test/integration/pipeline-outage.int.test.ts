import { setTimeout as sleep } from 'node:timers/promises';
import {
  createServers,
  ensureSecrets,
  loadConfig,
  repositoryRoot,
  stopDaemon,
  up,
} from '@terrapulse/infra-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_SERVICES, PipelineHarness } from '../support/pipeline-harness.js';
import { type FleetRun, SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';

const config = loadConfig(process.env, repositoryRoot);

async function stopInfluxDb(): Promise<void> {
  await stopDaemon(config.paths.pidFile('influxdb'), 15_000);
}

async function startServers(): Promise<void> {
  const secrets = ensureSecrets(config.paths.secretsFile);
  await up(
    config,
    createServers(config, secrets, () => {}),
    secrets,
    () => {},
  );
}

describe('the pipeline while InfluxDB is down', () => {
  const harness = new PipelineHarness('outage');
  const fleet = new SimulatedFleet(harness.env, `o${harness.runId}-`, 14);
  const influx = influxEnv(harness.env);
  const rss = new Map<string, number[]>();
  let run: FleetRun;
  let outageMs = 0;

  beforeAll(async () => {
    await harness.createTopics();
    await fleet.provision(harness.kafkaClient(), harness.topics.registry);
    await harness.startAll(1);
    const replay = fleet.replay('2026-11-04T00:00:00Z', '2026-11-05T00:00:00Z', 'duplicate=0.02', 300);
    await sleep(3_000);
    const down = Date.now();
    await stopInfluxDb();
    try {
      // Keep publishing for 20 s with InfluxDB gone, sampling every service's memory.
      for (let i = 0; i < 20; i++) {
        for (const s of PIPELINE_SERVICES) {
          const mb = harness.rssMb(`${s}-1`);
          if (mb !== undefined) rss.set(s, [...(rss.get(s) ?? []), mb]);
        }
        await sleep(1_000);
      }
    } finally {
      await startServers();
      outageMs = Date.now() - down;
    }
    run = await replay;
  }, 600_000);

  afterAll(async () => {
    await startServers();
    await harness.teardown();
    await fleet.deprovision();
  });

  it('kept every service alive with flat memory during the outage', () => {
    expect(outageMs).toBeGreaterThan(20_000);
    for (const s of PIPELINE_SERVICES) {
      const samples = rss.get(s) ?? [];
      expect(samples.length, s).toBeGreaterThanOrEqual(15);
      const first = samples.slice(0, 3).reduce((a, b) => Math.max(a, b), 0);
      const peak = Math.max(...samples);
      // Bounded buffers: growth over the outage stays a small constant, not proportional to the backlog.
      expect(peak - first, `${s} RSS growth (MiB)`).toBeLessThan(80);
      expect(harness.processes.get(`${s}-1`)?.exited(), `${s} still running`).toBe(false);
    }
  });

  it('drains the backlog when InfluxDB returns and loses nothing', async () => {
    expect(run.stats.unacked).toBe(0);
    const expected = distinctReadings(run.ledger.filter((e) => e.expected === 'accepted'));
    await eventually(
      async () =>
        (await countStoredReadings(influx, `${harness.measurementPrefix}reading`)) === expected.size,
      240_000,
    );
  });
});
