import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateMismatches } from '../support/aggregate-check.js';
import { expectedAggregates, type KnownReading } from '../support/expected-aggregates.js';
import { PIPELINE_SERVICES, PipelineHarness } from '../support/pipeline-harness.js';
import { type FleetRun, SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings, storedReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';

describe('the pipeline under kill -9 of each service in turn', () => {
  const harness = new PipelineHarness('crash');
  const fleet = new SimulatedFleet(harness.env, `k${harness.runId}-`, 14);
  const influx = influxEnv(harness.env);
  let run: FleetRun;
  let accepted: KnownReading[];
  const crashes: string[] = [];

  beforeAll(async () => {
    await harness.createTopics();
    await fleet.provision(harness.kafkaClient(), harness.topics.registry);
    await harness.startAll(1);
    // A rate that keeps the replay running while every service is killed once.
    const replay = fleet.replay('2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z', 'duplicate=0.02', 250);
    for (const service of PIPELINE_SERVICES) {
      await sleep(4_000);
      await harness.crash(`${service}-1`);
      crashes.push(service);
      await sleep(1_000);
      await harness.start(service, 1);
    }
    run = await replay;
    accepted = run.ledger.filter((e) => e.expected === 'accepted');
  }, 600_000);

  afterAll(async () => {
    await harness.teardown();
    await fleet.deprovision();
  });

  it('killed every service while readings were flowing', () => {
    expect(crashes).toEqual([...PIPELINE_SERVICES]);
    expect(run.stats.unacked).toBe(0);
    expect(accepted.length).toBeGreaterThan(1_000);
  });

  it('loses no acknowledged reading and stores none twice', async () => {
    const expected = distinctReadings(accepted);
    const measurement = `${harness.measurementPrefix}reading`;
    await eventually(async () => (await countStoredReadings(influx, measurement)) >= expected.size, 240_000);
    const stored = await storedReadings(influx, measurement);
    expect(stored.size).toBe(expected.size);
    const missing = [...expected.keys()].filter((k) => !stored.has(k));
    expect(missing.slice(0, 10)).toEqual([]);
  }, 270_000);

  it('ends with every aggregate equal to the uninterrupted computation', async () => {
    const expected = expectedAggregates(accepted);
    let problems: string[] = [];
    const settled = async (): Promise<boolean> => {
      problems = await aggregateMismatches(influx, harness.measurementPrefix, expected);
      return problems.length === 0;
    };
    await eventually(settled, 180_000).catch(() => undefined);
    expect(problems.slice(0, 20)).toEqual([]);
  }, 210_000);
});
