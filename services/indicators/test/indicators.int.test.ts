import { randomUUID } from 'node:crypto';
import { type DeviceRecord, INDICATOR_MEASUREMENTS, TOPICS } from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import { publishDeviceRecords } from '@terrapulse/validator';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../../test/support/environment.js';
import { influxQuery } from '../../../test/support/influxql.js';
import { eventually } from '../../../test/support/waiting.js';
import {
  computeIndicators,
  InfluxHttp,
  loadConfig,
  type Point,
  readRegistrySnapshot,
  startIndicatorsService,
} from '../src/index.js';

const env = testEnvironment();
const run = randomUUID().slice(0, 8);
const prefix = `it_ind_${run}_`;
const registryTopic = `test.${run}.indicators-registry`;
const kafka = new Kafka({ clientId: `it-ind-${run}`, brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
const influxSettings = {
  url: env.influxUrl,
  database: env.influxDatabase,
  username: env.influxUsername,
  password: env.influxPassword,
};
const influx = new InfluxHttp(influxSettings);
const q = (query: string) => influxQuery(env, query);

// Two local days around the spring-forward night of 29 March 2026 (Paris, 23 h day).
const DAY1 = Date.parse('2026-03-27T23:00:00Z');
const DAY2 = Date.parse('2026-03-28T23:00:00Z');
const ELECTRICITY_FACTOR = 0.06; // overridden, to prove the option is honoured
const ADEME_GAS_FACTOR = 0.205; // default, kgCO2e per kWh PCS
const GAS_KWH_PER_M3 = 11.2;
const FLOOR_AREA = 2000;

const record = (id: string, over: Partial<DeviceRecord>): DeviceRecord => ({
  deviceId: id,
  tenant: 'commune',
  site: 'ecole',
  domain: 'energy',
  kind: 'electricity_meter',
  model: 'test',
  metrics: ['energy.active_energy_index'],
  expectedIntervalS: 900,
  installedAt: '2024-01-01',
  state: 'active',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});
const water = (id: string, over: Partial<DeviceRecord>) =>
  record(id, {
    tenant: 'syndicat',
    site: 'nord',
    domain: 'water',
    kind: 'water_meter',
    metrics: ['water.volume_index'],
    ...over,
  });
const devices: DeviceRecord[] = [
  record(`elec-${run}`, { floorAreaM2: FLOOR_AREA }),
  record(`gas-${run}`, { kind: 'gas_meter', metrics: ['energy.gas_volume_index'], floorAreaM2: FLOOR_AREA }),
  water(`in-${run}`, { meterRole: 'production' }),
  water(`c1-${run}`, { meterRole: 'consumption' }),
  water(`c2-${run}`, { meterRole: 'consumption' }),
  water(`wf-${run}`, { kind: 'water_flow_sensor', metrics: ['water.flow'] }),
];
const byId = Object.fromEntries(devices.map((d) => [d.deviceId.replace(`-${run}`, ''), d]));

/** Stored aggregates, as the influx-writer writes them (SCHEMA.md). */
type Agg = {
  device: string;
  metric: string;
  unit: string;
  time: number;
  consumption?: number;
  mean?: number;
};
const daily: Agg[] = [
  { device: 'elec', metric: 'energy.active_energy_index', unit: 'kWh', time: DAY1, consumption: 250.5 },
  { device: 'elec', metric: 'energy.active_energy_index', unit: 'kWh', time: DAY2, consumption: 180.25 },
  { device: 'gas', metric: 'energy.gas_volume_index', unit: 'm3', time: DAY1, consumption: 30 },
  { device: 'gas', metric: 'energy.gas_volume_index', unit: 'm3', time: DAY2, consumption: 12.5 },
  { device: 'in', metric: 'water.volume_index', unit: 'm3', time: DAY1, consumption: 1000 },
  { device: 'in', metric: 'water.volume_index', unit: 'm3', time: DAY2, consumption: 900 },
  { device: 'c1', metric: 'water.volume_index', unit: 'm3', time: DAY1, consumption: 500 },
  { device: 'c1', metric: 'water.volume_index', unit: 'm3', time: DAY2, consumption: 450 },
  { device: 'c2', metric: 'water.volume_index', unit: 'm3', time: DAY1, consumption: 350 },
  { device: 'c2', metric: 'water.volume_index', unit: 'm3', time: DAY2, consumption: 330 },
];
const hour = (iso: string) => Date.parse(iso);
const hourly: Agg[] = [
  ...[
    ['2026-03-28T00:00:00Z', 10],
    ['2026-03-28T01:00:00Z', 30],
    ['2026-03-28T02:00:00Z', 25],
    ['2026-03-28T03:00:00Z', 28],
    ['2026-03-28T04:00:00Z', 5],
    ['2026-03-29T00:00:00Z', 3],
    ['2026-03-29T01:00:00Z', 22],
    ['2026-03-29T02:00:00Z', 24],
    ['2026-03-29T03:00:00Z', 2],
  ].map(([t, v]) => ({
    device: 'in',
    metric: 'water.volume_index',
    unit: 'm3',
    time: hour(t as string),
    consumption: v as number,
  })),
  ...[
    ['2026-03-28T01:00:00Z', 12.5],
    ['2026-03-28T02:00:00Z', 11.75],
    ['2026-03-28T03:00:00Z', 13],
  ].map(([t, v]) => ({
    device: 'wf',
    metric: 'water.flow',
    unit: 'm3/h',
    time: hour(t as string),
    mean: v as number,
  })),
];

function aggregatePoint(measurement: string, a: Agg): Point {
  const d = byId[a.device] as DeviceRecord;
  return {
    measurement: `${prefix}${measurement}`,
    tags: {
      device: d.deviceId,
      tenant: d.tenant,
      site: d.site,
      domain: d.domain,
      metric: a.metric,
      unit: a.unit,
    },
    fields: {
      count: { int: 4 },
      ...(a.consumption !== undefined && { consumption: { float: a.consumption }, resets: { int: 0 } }),
      ...(a.mean !== undefined && { mean: { float: a.mean } }),
    },
    time: a.time,
  };
}

/** Local hour in Paris, by Intl: independent of the service's time-zone code. */
const parisHour = (ts: number) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(
      ts,
    ),
  );

function expectedNight(device: string, dayStart: number, dayEnd: number, field: 'consumption' | 'mean') {
  const values = hourly
    .filter((a) => a.device === device && a.time >= dayStart && a.time < dayEnd)
    .filter((a) => parisHour(a.time) >= 2 && parisHour(a.time) < 5)
    .map((a) => a[field] as number);
  return { min: Math.min(...values), hours: values.length };
}

const rowsOf = async (measurement: string) => {
  const series = await q(`SELECT * FROM "${prefix}${measurement}" GROUP BY * ORDER BY time`);
  return series.flatMap((s) =>
    s.values.map(
      (v) =>
        ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) }) as Record<string, unknown>,
    ),
  );
};

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: registryTopic,
        numPartitions: 3,
        replicationFactor: 1,
        configEntries: [{ name: 'cleanup.policy', value: TOPICS.registryDevices.cleanupPolicy }],
      },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await publishDeviceRecords(producer, registryTopic, devices);
  await producer.disconnect();
  await influx.write([
    ...daily.map((a) => aggregatePoint('aggregate_1d', a)),
    ...hourly.map((a) => aggregatePoint('aggregate_1h', a)),
  ]);
});

afterAll(async () => {
  for (const m of ['aggregate_1d', 'aggregate_1h', ...INDICATOR_MEASUREMENTS])
    await q(`DROP MEASUREMENT "${prefix}${m}"`).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [registryTopic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('indicators against the real InfluxDB and Kafka', () => {
  it('computeIndicators should store consumption, CO2e, kWh/m2, minimum night flow and yield as computed independently', async () => {
    const registry = await readRegistrySnapshot({
      brokers: env.kafkaBrokers,
      topic: registryTopic,
      logger: silentLogger,
    });
    expect(registry).toHaveLength(devices.length);
    const options = {
      from: '2026-03-28',
      to: '2026-03-29',
      influx: { ...influxSettings, measurementPrefix: prefix },
      devices: registry,
      emissionFactors: { electricity: ELECTRICITY_FACTOR },
    };
    const result = await computeIndicators(options);
    expect(result).toMatchObject({ energy: 4, nightFlow: 3, networkYield: 2, incompleteYieldDays: 0 });

    const energy = await rowsOf('indicator_energy_1d');
    expect(energy).toHaveLength(4);
    for (const a of daily.filter((d) => d.metric.startsWith('energy.'))) {
      const stored = energy.find((e) => e.device === byId[a.device]?.deviceId && e.time === a.time);
      const gas = a.metric === 'energy.gas_volume_index';
      const kwh = (a.consumption as number) * (gas ? GAS_KWH_PER_M3 : 1);
      expect(stored?.carrier).toBe(gas ? 'natural_gas' : 'electricity');
      expect(stored?.consumption_kwh).toBeCloseTo(kwh, 9);
      expect(stored?.co2e_kg).toBeCloseTo(kwh * (gas ? ADEME_GAS_FACTOR : ELECTRICITY_FACTOR), 9);
      expect(stored?.kwh_per_m2).toBeCloseTo(kwh / FLOOR_AREA, 9);
      // Where the factor comes from is stored with it: the override, or the default's source.
      expect(stored?.emission_factor_source).toMatch(
        gas ? /^Default, to check: ADEME Base Empreinte/ : /^Set by EMISSION_FACTOR_ELECTRICITY$/,
      );
      expect(stored).toMatchObject({ tenant: 'commune', site: 'ecole', metric: a.metric });
    }

    const nights = await rowsOf('indicator_night_flow');
    const DAY_END2 = DAY2 + 23 * 3_600_000;
    const expectations = [
      { device: 'in', day: DAY1, ...expectedNight('in', DAY1, DAY2, 'consumption') },
      { device: 'in', day: DAY2, ...expectedNight('in', DAY2, DAY_END2, 'consumption') },
      { device: 'wf', day: DAY1, ...expectedNight('wf', DAY1, DAY2, 'mean') },
    ];
    expect(expectations.map((e) => e.hours)).toEqual([3, 2, 3]); // the spring night has no 02:00
    expect(nights).toHaveLength(3);
    for (const e of expectations) {
      const stored = nights.find((n) => n.device === byId[e.device]?.deviceId && n.time === e.day);
      expect(stored).toMatchObject({
        min_night_flow_m3h: e.min,
        hours: e.hours,
        site: 'nord',
        tenant: 'syndicat',
      });
    }

    const yields = await rowsOf('indicator_network_yield');
    expect(yields).toHaveLength(2);
    for (const day of [DAY1, DAY2]) {
      const vol = (d: string) => daily.find((a) => a.device === d && a.time === day)?.consumption as number;
      const produced = vol('in');
      const consumed = vol('c1') + vol('c2');
      const stored = yields.find((y) => y.time === day);
      expect(stored).toMatchObject({
        tenant: 'syndicat',
        site: 'nord',
        produced_m3: produced,
        consumed_m3: consumed,
      });
      expect(stored?.losses_m3).toBeCloseTo(produced - consumed, 9);
      expect(stored?.yield).toBeCloseTo(consumed / produced, 12);
    }

    // Recomputing after a late correction overwrites the day instead of adding a point.
    await influx.write([aggregatePoint('aggregate_1d', { ...(daily[0] as Agg), consumption: 300 })]);
    await computeIndicators(options);
    const again = await rowsOf('indicator_energy_1d');
    expect(again).toHaveLength(4);
    const corrected = again.find((e) => e.device === byId.elec?.deviceId && e.time === DAY1);
    expect(corrected?.consumption_kwh).toBe(300);
    expect(corrected?.co2e_kg).toBeCloseTo(300 * ELECTRICITY_FACTOR, 9);
  });

  it('the service should run its jobs on BullMQ and write fleet, device status and pipeline lag snapshots', async () => {
    const lagTopic = `test.${run}.lagged`;
    const lagGroup = `it-ind-group-${run}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: lagTopic, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: lagTopic,
      messages: Array.from({ length: 5 }, (_, i) => ({ value: String(i) })),
    });
    await producer.disconnect();
    await admin.setOffsets({
      groupId: lagGroup,
      topic: lagTopic,
      partitions: [{ partition: 0, offset: '2' }],
    });
    // A reading of one device a minute ago: it is seen, the others are not.
    const now = Date.now();
    const elec = byId.elec as DeviceRecord;
    await influx.write([
      {
        measurement: `${prefix}reading`,
        tags: {
          device: elec.deviceId,
          tenant: elec.tenant,
          site: elec.site,
          domain: 'energy',
          metric: 'energy.active_energy_index',
          unit: 'kWh',
        },
        fields: { value: { float: 1 } },
        time: now - 60_000,
      },
    ]);
    const config = loadConfig({
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      INFLUX_URL: env.influxUrl,
      INFLUX_DATABASE: env.influxDatabase,
      INFLUX_USERNAME: env.influxUsername,
      INFLUX_PASSWORD: env.influxPassword,
      INFLUX_MEASUREMENT_PREFIX: prefix,
      REDIS_URL: env.redisUrl,
      INDICATORS_QUEUE: `it-indicators-${run}`,
      TOPIC_REGISTRY: registryTopic,
      OPS_PORT: '0',
      PIPELINE_GROUPS: `${lagGroup}:${lagTopic}`,
      FLEET_SNAPSHOT_EVERY_MS: '5000',
      PIPELINE_LAG_EVERY_MS: '5000',
      LOG_LEVEL: 'silent',
    });
    const service = await startIndicatorsService(config, { logger: silentLogger, processMetrics: false });
    try {
      const health = await fetch(`http://127.0.0.1:${service.opsPort}/healthz`);
      expect(health.status).toBe(200);
      await eventually(
        async () =>
          (await rowsOf('pipeline_lag')).length > 0 &&
          (await rowsOf('device_status')).length >= devices.length,
        30_000,
      );
      const [lag] = await rowsOf('pipeline_lag');
      expect(lag).toMatchObject({ group: lagGroup, topic: lagTopic, lag: 3 });
      const fleet = await rowsOf('fleet_devices');
      const counts = Object.fromEntries(
        fleet.filter((f) => f.time === fleet[0]?.time).map((f) => [f.tenant, f.count]),
      );
      expect(counts).toEqual({ commune: 2, syndicat: 4 });
      const status = await rowsOf('device_status');
      const seen = status.find((s) => s.device === elec.deviceId);
      expect(seen).toMatchObject({ state: 'active', silent: 0, domain: 'energy' });
      expect(seen?.last_seen_age_s as number).toBeGreaterThan(50);
      expect(status.find((s) => s.device === byId.gas?.deviceId)).toMatchObject({
        silent: 1,
        last_seen_age_s: -1,
      });
      // The compute job ran too (the last three days hold none of the test's data, so it wrote nothing new).
      const metrics = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
      expect(metrics).toMatch(
        /terrapulse_indicators_jobs_total\{job="compute-indicators",outcome="ok"\} [1-9]/,
      );
    } finally {
      await service.stop();
      const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
      const queue = new Queue(config.INDICATORS_QUEUE, { connection });
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
      await admin.deleteTopics({ topics: [lagTopic] }).catch(() => undefined);
      await admin.deleteGroups([lagGroup]).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
