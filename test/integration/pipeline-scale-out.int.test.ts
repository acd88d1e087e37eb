import { parsePrometheusText, total } from '@terrapulse/infra-runner/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateMismatches } from '../support/aggregate-check.js';
import { expectedAggregates, type KnownReading } from '../support/expected-aggregates.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { type FleetRun, SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings, storedReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';

const WORK_METRIC: Record<string, string> = {
  'mqtt-bridge': 'terrapulse_bridge_messages_forwarded_total',
  validator: 'terrapulse_validator_messages_total',
  aggregator: 'terrapulse_aggregator_readings_total',
  'influx-writer': 'terrapulse_influx_writer_points_written_total',
};

describe('two instances of every service side by side', () => {
  const harness = new PipelineHarness('scale');
  const fleet = new SimulatedFleet(harness.env, `s${harness.runId}-`, 24);
  const influx = influxEnv(harness.env);
  let run: FleetRun;
  let accepted: KnownReading[];

  beforeAll(async () => {
    await harness.createTopics();
    await fleet.provision(harness.kafkaClient(), harness.topics.registry);
    await harness.startAll(2);
    run = await fleet.replay(
      '2026-10-24T22:00:00Z',
      '2026-10-25T23:00:00Z',
      'duplicate=0.03,late=0.03,late_by=20m',
    );
    accepted = run.ledger.filter((e) => e.expected === 'accepted');
  }, 600_000);

  afterAll(async () => {
    await harness.teardown();
    await fleet.deprovision();
  });

  it('give the same InfluxDB content as one instance: the exact readings and aggregates', async () => {
    const expected = distinctReadings(accepted);
    const measurement = `${harness.measurementPrefix}reading`;
    await eventually(async () => (await countStoredReadings(influx, measurement)) >= expected.size, 180_000);
    expect((await storedReadings(influx, measurement)).size).toBe(expected.size);
    let problems: string[] = [];
    const settled = async (): Promise<boolean> => {
      problems = await aggregateMismatches(influx, harness.measurementPrefix, expectedAggregates(accepted));
      return problems.length === 0;
    };
    await eventually(settled, 90_000).catch(() => undefined);
    expect(problems.slice(0, 20)).toEqual([]);
  }, 300_000);

  it('split the work: each instance of each service handled part of it', async () => {
    for (const [service, metric] of Object.entries(WORK_METRIC)) {
      const done = await Promise.all(
        [1, 2].map(async (i) =>
          total(parsePrometheusText((await harness.metrics(`${service}-${i}`)) ?? ''), metric),
        ),
      );
      expect(
        done.every((n) => n > 0),
        `${service} instances: ${done.join(', ')}`,
      ).toBe(true);
    }
  });
});
