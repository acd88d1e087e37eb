import { getMetric } from '@terrapulse/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateMismatches } from '../support/aggregate-check.js';
import { expectedAggregates, type KnownReading } from '../support/expected-aggregates.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { readRejections } from '../support/rejections.js';
import { type FleetRun, SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings, storedReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';

// The 25-hour day of the autumn clock change in Europe/Paris, and the hour after it.
const FROM = '2026-10-24T22:00:00Z';
const TO = '2026-10-25T23:00:00Z';
const FAULTS = 'duplicate=0.03,late=0.03,late_by=20m,malformed=4,spoof=4,out_of_range=4,reset=2';

describe('the pipeline from MQTT to InfluxDB on a known dataset', () => {
  const harness = new PipelineHarness('exact');
  const fleet = new SimulatedFleet(harness.env, `x${harness.runId}-`, 16, 1);
  const influx = influxEnv(harness.env);
  let run: FleetRun;
  let accepted: KnownReading[];

  beforeAll(async () => {
    await harness.createTopics();
    await fleet.provision(harness.kafkaClient(), harness.topics.registry);
    await harness.startAll(1);
    run = await fleet.replay(FROM, TO, FAULTS);
    accepted = run.ledger.filter((e) => e.expected === 'accepted');
  }, 600_000);

  afterAll(async () => {
    await harness.teardown();
    await fleet.deprovision();
  });

  it('publishes the dataset with every message acknowledged and every fault injected', () => {
    expect(run.stats.unacked).toBe(0);
    expect(run.stats.failed).toBe(0);
    const faults = new Set(run.ledger.map((e) => e.fault).filter(Boolean));
    for (const f of [
      'duplicate',
      'late',
      'malformed',
      'spoof',
      'out_of_range',
      'meter_reset',
      'unknown_device',
    ]) {
      expect(faults, `fault ${f} injected`).toContain(f);
    }
  });

  it('stores exactly the distinct accepted readings in InfluxDB, with their values', async () => {
    const expected = distinctReadings(accepted);
    const measurement = `${harness.measurementPrefix}reading`;
    await eventually(async () => (await countStoredReadings(influx, measurement)) >= expected.size, 180_000);
    const stored = await storedReadings(influx, measurement);
    expect(stored.size).toBe(expected.size);
    for (const [key, value] of expected) expect(stored.get(key), key).toBeCloseTo(value, 9);
  }, 200_000);

  it('produces every window aggregate equal to an independent computation, across the 25-hour day', async () => {
    const expected = expectedAggregates(accepted);
    expect(accepted.some((r) => getMetric(r.metric).kind === 'cumulative_index')).toBe(true);
    let problems: string[] = [];
    const settled = async (): Promise<boolean> => {
      problems = await aggregateMismatches(influx, harness.measurementPrefix, expected);
      return problems.length === 0;
    };
    await eventually(settled, 90_000).catch(() => undefined);
    expect(problems.slice(0, 20)).toEqual([]);
    // The clock-change day is one window of 25 hourly windows for an hourly series.
    const dayStart = Date.parse('2026-10-24T22:00:00Z');
    const hoursOfDay = new Set(
      expected
        .filter(
          (a) => a.window === '1h' && a.windowStart >= dayStart && a.windowStart < dayStart + 25 * 3_600_000,
        )
        .map((a) => a.windowStart),
    );
    expect(hoursOfDay.size).toBe(25);
  }, 180_000);

  it('dead-letters every refused message with the reason the simulator expected', async () => {
    const refused = run.ledger.filter((e) => e.expected !== 'accepted');
    const expectedReasons = new Set(refused.map((e) => e.expected));
    expect(expectedReasons.size).toBeGreaterThanOrEqual(4);
    const mine = (x: { deviceIdHint?: string | undefined }) =>
      (x.deviceIdHint ?? '').startsWith(fleet.prefix);
    const rejections = await readRejections(harness.kafkaClient(), harness.topics.rejected, (seen) =>
      [...expectedReasons].every((r) => seen.some((x) => mine(x) && x.reason === r)),
    );
    const fleetRejections = rejections.filter(mine);
    for (const reason of expectedReasons) {
      expect(
        fleetRejections.some((r) => r.reason === reason),
        `a ${reason} dead letter`,
      ).toBe(true);
    }
    for (const r of fleetRejections) {
      expect(r.rawBase64.length).toBeGreaterThan(0);
      expect(r.detail.length).toBeGreaterThan(0);
    }
  });
});
