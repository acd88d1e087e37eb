import { windowBounds } from '@terrapulse/aggregator';
import {
  BIKE_TREND_DAYS,
  buildDashboards,
  defaultVariableValues,
  type PanelQuery,
  panelQueries,
  substituteVariables,
  withMeasurementPrefix,
} from '@terrapulse/dashboards';
import {
  computeIndicators,
  InfluxAggregateReader,
  InfluxHttp,
  KafkaLagProbe,
  measurementNames,
  staticCatalog,
  writeFleetSnapshot,
  writeLagSnapshot,
} from '@terrapulse/indicators';
import { silentLogger } from '@terrapulse/service-kit';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateMismatches } from '../support/aggregate-check.js';
import {
  dailyBikeTotals,
  type EnergySettings,
  expectedEnergy,
  expectedNightFlows,
  movingAverage,
  parisDate,
} from '../support/dashboard-expectations.js';
import {
  type ExpectedAggregate,
  expectedAggregates,
  type KnownReading,
} from '../support/expected-aggregates.js';
import { type InfluxSeries, influxQuery } from '../support/influxql.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { SimulatedFleet } from '../support/simulated-fleet.js';
import { countStoredReadings, distinctReadings } from '../support/stored-readings.js';
import { eventually, influxEnv } from '../support/waiting.js';

const TZ = 'Europe/Paris';
const HOUR = 3_600_000;
const WEEK = 7 * 86_400_000;
// Not the indicators service's defaults, so the test shows the configured values are the ones used.
const ENERGY: EnergySettings = {
  gasKwhPerM3: 10.7,
  factors: { electricity: 0.061, natural_gas: 0.214, district_heat: 0.093 },
};
const FAULTS = 'malformed=3,out_of_range=3';

const dayStart = (ts: number): number => windowBounds(ts, '1d', TZ).start;
const daysBefore = (day: number, n: number): number => (n === 0 ? day : daysBefore(dayStart(day - 1), n - 1));

/** Rows of a result with at least one value besides time. */
const rowsWithValues = (series: readonly InfluxSeries[]): number =>
  series.reduce((n, s) => n + s.values.filter((row) => row.slice(1).some((v) => v !== null)).length, 0);

const closeTo = (got: number | undefined, want: number): boolean =>
  got !== undefined && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

describe('every dashboard panel on a dataset the real pipeline ingested', () => {
  const harness = new PipelineHarness('dash');
  const fleet = new SimulatedFleet(harness.env, `d${harness.runId}-`, 24);
  const influx = influxEnv(harness.env);
  const settings = {
    url: influx.influxUrl,
    database: influx.influxDatabase,
    username: influx.influxUsername,
    password: influx.influxPassword,
  };
  const names = measurementNames(harness.measurementPrefix);
  // Dashboard range: two whole local days before today, up to now (rejections and fleet
  // snapshots carry wall-clock times). The replay also covers the week before, for the
  // previous period and the cycling trend, and one day 52 weeks earlier, for last year.
  const now = Date.now();
  const today = dayStart(now);
  const from = daysBefore(today, 2);
  const replayFrom = daysBefore(from, BIKE_TREND_DAYS - 1);
  const lastYear = dayStart(from - WEEK * 52 + 12 * HOUR);
  const lastYearEnd = windowBounds(lastYear, '1d', TZ).end;
  let aggregates: ExpectedAggregate[] = [];
  let admin: Admin | undefined;
  let to = now;
  const results = new Map<string, InfluxSeries[]>();
  const failures: string[] = [];

  const keyOf = (q: Pick<PanelQuery, 'dashboardUid' | 'panelTitle' | 'refId'>) =>
    `${q.dashboardUid} / ${q.panelTitle} / ${q.refId}`;
  const result = (uid: string, panelTitle: string, refId = 'A'): InfluxSeries[] => {
    const r = results.get(keyOf({ dashboardUid: uid, panelTitle, refId }));
    if (r === undefined) throw new Error(`no query ${uid} / ${panelTitle} / ${refId}`);
    return r;
  };
  const single = (uid: string, panelTitle: string, refId: string): number | undefined =>
    result(uid, panelTitle, refId)[0]?.values[0]?.[1] as number | undefined;

  beforeAll(async () => {
    await harness.createTopics();
    await fleet.provision(harness.kafkaClient(), harness.topics.registry);
    await harness.startAll(1);
    const earlier = await fleet.replay(
      new Date(lastYear).toISOString(),
      new Date(lastYearEnd).toISOString(),
      '',
    );
    const recent = await fleet.replay(
      new Date(replayFrom).toISOString(),
      new Date(today).toISOString(),
      FAULTS,
    );
    const accepted: KnownReading[] = [...earlier.ledger, ...recent.ledger].filter(
      (e) => e.expected === 'accepted',
    );
    aggregates = expectedAggregates(accepted);
    const distinct = distinctReadings(accepted).size;
    await eventually(
      async () => (await countStoredReadings(influx, names.reading)) >= distinct,
      300_000,
      2_000,
    );
    let problems: string[] = [];
    await eventually(
      async () => {
        problems = await aggregateMismatches(influx, harness.measurementPrefix, aggregates);
        return problems.length === 0;
      },
      180_000,
      2_000,
    ).catch(() => undefined);
    if (problems.length > 0)
      throw new Error(`aggregates never settled:\n${problems.slice(0, 10).join('\n')}`);

    // The indicators service's work, run directly: daily indicators, then the snapshots its timers
    // write (at times inside this period, the previous one and last year's).
    const records = fleet.registered.map((d) => d.record);
    const indicatorOptions = {
      influx: { ...settings, measurementPrefix: harness.measurementPrefix },
      devices: records,
      gasKwhPerM3: ENERGY.gasKwhPerM3,
      emissionFactors: ENERGY.factors,
      logger: silentLogger,
    };
    await computeIndicators({ ...indicatorOptions, from: lastYear, to: lastYear });
    await computeIndicators({ ...indicatorOptions, from: replayFrom, to: today - 1 });
    const http = new InfluxHttp(settings);
    const snapshot = {
      devices: staticCatalog(records),
      reader: new InfluxAggregateReader(http, names),
      writer: http,
      names,
      silenceFactor: 3,
      lastSeenLookbackMs: WEEK,
      logger: silentLogger,
    };
    for (const at of [now, from - HOUR, lastYear + 12 * HOUR]) await writeFleetSnapshot(snapshot, at, at);
    admin = harness.kafkaClient().admin();
    await admin.connect();
    const group = (service: string) => `tp-${service}-${harness.label}-${harness.runId}`;
    const probe = new KafkaLagProbe(admin, [
      { group: group('validator'), topics: [harness.topics.raw] },
      { group: group('aggregator'), topics: [harness.topics.readings] },
      { group: group('influx-writer'), topics: [harness.topics.readings, harness.topics.aggregates] },
    ]);
    await writeLagSnapshot({ probe, writer: http, names }, now);

    to = Date.now();
    for (const dashboard of buildDashboards()) {
      const variables = defaultVariableValues(dashboard);
      for (const q of panelQueries(dashboard)) {
        const text = substituteVariables(q.query, { from, to, intervalMs: HOUR, variables });
        try {
          results.set(
            keyOf(q),
            await influxQuery(influx, withMeasurementPrefix(text, harness.measurementPrefix)),
          );
        } catch (error) {
          failures.push(`${keyOf(q)}: ${(error as Error).message}`);
          results.set(keyOf(q), []);
        }
      }
    }
  }, 900_000);

  afterAll(async () => {
    await admin?.disconnect();
    await harness.teardown();
    await fleet.deprovision();
  });

  it('runs every panel query without an InfluxDB error', () => {
    expect(failures).toEqual([]);
    expect(results.size).toBeGreaterThan(60);
  });

  it('gets data from every panel query, with the dashboards’ default variables', () => {
    // Rejections are stamped with their reception time: a replay cannot put any in past periods.
    const pastRejections = (key: string) => /Rejected messages \/ [BC]$/.test(key);
    const empty = [...results].filter(([key, s]) => rowsWithValues(s) === 0 && !pastRejections(key));
    expect(empty.map(([key]) => key)).toEqual([]);
    expect(rowsWithValues(result('terrapulse-pipeline', 'Rejected messages', 'A'))).toBe(1);
  });

  it('shows the energy consumed and its CO2e this period, the previous one and last year', () => {
    const periods: Array<[string, number, number, boolean]> = [
      ['A', from, to, false],
      ['B', from - (to - from), from, true],
      ['C', from - 52 * WEEK, to - 52 * WEEK, false],
    ];
    for (const [refId, lo, hi, exclusive] of periods) {
      const want = expectedEnergy(aggregates, ENERGY, lo, hi, exclusive);
      expect(want.kwh, `some energy in period ${refId}`).toBeGreaterThan(0);
      for (const uid of ['terrapulse-overview', 'terrapulse-energy']) {
        const kwh = single(uid, 'Energy consumed', refId);
        expect(closeTo(kwh, want.kwh), `${uid} kWh ${refId}: ${kwh} vs ${want.kwh}`).toBe(true);
      }
      const co2 = single('terrapulse-overview', 'Energy CO2e', refId);
      expect(closeTo(co2, want.co2eKg), `CO2e ${refId}: ${co2} vs ${want.co2eKg}`).toBe(true);
      expect(closeTo(single('terrapulse-energy', 'CO2e emitted', refId), want.co2eKg)).toBe(true);
    }
  });

  it('shows the minimum night flow of every water meter and night', () => {
    const want = expectedNightFlows(aggregates, from);
    const got = new Map<string, number>();
    for (const s of result('terrapulse-water', 'Minimum night flow per meter')) {
      for (const [time, value] of s.values)
        got.set(`${s.tags?.device}|${parisDate(time as number)}`, value as number);
    }
    expect(want.size).toBeGreaterThanOrEqual(2);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, value] of want)
      expect(closeTo(got.get(key), value), `${key}: ${got.get(key)} vs ${value}`).toBe(true);
    const highest = single('terrapulse-overview', 'Highest minimum night flow', 'A');
    expect(closeTo(highest, Math.max(...want.values()))).toBe(true);
  });

  it('shows the bikes per day and their weekly moving average', () => {
    const totals = new Map([...dailyBikeTotals(aggregates)].filter(([day]) => day >= parisDate(replayFrom)));
    const trend = movingAverage(totals, BIKE_TREND_DAYS);
    const [perDay, average] = ['A', 'B'].map((refId) => {
      const series = result('terrapulse-mobility', 'Bicycles per day and trend', refId)[0];
      return new Map((series?.values ?? []).map(([t, v]) => [parisDate(t as number), v as number]));
    });
    expect(trend.size).toBe(2);
    expect([...(average?.keys() ?? [])]).toEqual([...trend.keys()]);
    for (const [day, value] of trend) expect(closeTo(average?.get(day), value), day).toBe(true);
    for (const [day, value] of perDay ?? []) expect(value, day).toBe(totals.get(day));
    expect(perDay?.size).toBe(2);
  });
});
