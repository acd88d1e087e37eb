import { silentLogger } from '@terrapulse/service-kit';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfluxWriter } from '../src/app.js';
import { createWriterMetrics, type WriterMetrics } from '../src/metrics.js';
import { buildInfluxWriter } from '../src/wiring.js';
import { aggregate, reading, rejection } from './fixtures.js';
import {
  connectProducer,
  createTopics,
  dropMeasurements,
  env,
  eventually,
  fullyCommitted,
  influxQuery,
  jsonMessages,
  kafka,
  metricValue,
  type TestTopics,
  uniqueName,
  writerConfig,
} from './support/servers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Recent enough for the 400-day retention policy, in the past so nothing is "in the future".
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY;

describe('influx-writer against Kafka and InfluxDB', () => {
  const prefix = uniqueName('it_writer');
  const groupId = uniqueName('tp-influx-writer-it');
  let admin: Admin;
  let producer: Producer;
  let topics: TestTopics;
  let metrics: WriterMetrics;
  let writer: InfluxWriter;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    topics = await createTopics(admin, prefix);
    producer = await connectProducer();
    metrics = createWriterMetrics();
    const config = writerConfig({
      ...topics.env,
      KAFKA_GROUP_ID: groupId,
      KAFKA_CLIENT_ID: groupId,
      INFLUX_MEASUREMENT_PREFIX: `${prefix}_`,
      WRITER_MAX_LINGER_MS: '100',
    });
    writer = buildInfluxWriter(config, { logger: silentLogger, metrics });
    await writer.start();
  });

  afterAll(async () => {
    await writer?.stop();
    await producer?.disconnect();
    await topics?.delete();
    await admin?.disconnect();
    await dropMeasurements(prefix);
  });

  const m = (name: string) => `"${prefix}_${name}"`;

  it('stores readings with the documented tags, float value and timestamp', async () => {
    const flow = reading({ deviceId: 'it-wm-1', value: 2, ts: T0 + 60_000 });
    const trucks = reading({
      deviceId: 'it-tc-1',
      tenant: 'villeurbanne',
      site: 'pont-lafayette',
      domain: 'mobility',
      metric: 'mobility.vehicle_count',
      kind: 'count_per_interval',
      unit: 'count',
      value: 3,
      ts: T0,
      dims: { vehicleClass: 'truck' },
    });
    await producer.send({ topic: topics.readings, messages: jsonMessages([flow, trucks]) });

    const series = await eventually(async () => {
      const found = await influxQuery(
        `SELECT "value" FROM ${m('reading')} WHERE "device" =~ /^it-(wm|tc)-1$/ GROUP BY *`,
      );
      return found.length === 2 ? found : undefined;
    });
    // GROUP BY * lists every tag key of the measurement, empty where a series lacks it.
    const tagsOf = (tags: Record<string, string> = {}) =>
      Object.fromEntries(Object.entries(tags).filter(([, v]) => v));
    const byDevice = Object.fromEntries(series.map((s) => [s.tags?.device, { ...s, tags: tagsOf(s.tags) }]));
    expect(byDevice['it-wm-1']?.tags).toEqual({
      device: 'it-wm-1',
      tenant: 'lyon',
      site: 'ecole-jaures',
      domain: 'water',
      metric: 'water.flow',
      unit: 'm3/h',
    });
    expect(byDevice['it-wm-1']?.values).toEqual([[T0 + 60_000, 2]]);
    expect(byDevice['it-tc-1']?.tags).toMatchObject({
      metric: 'mobility.vehicle_count',
      vehicleClass: 'truck',
    });
    expect(byDevice['it-tc-1']?.values).toEqual([[T0, 3]]);

    const fields = await influxQuery(`SHOW FIELD KEYS FROM ${m('reading')}`);
    expect(fields[0]?.values).toEqual([['value', 'float']]);
  });

  it('stores aggregates per window with integer count and float statistics at the window start', async () => {
    const base = { deviceId: 'it-em-1', windowStart: T0 };
    await producer.send({
      topic: topics.aggregates,
      messages: jsonMessages([
        aggregate({
          ...base,
          window: '15m',
          windowEnd: T0 + 900_000,
          lastTs: T0 + 600_000,
          consumption: 1.5,
        }),
        { ...aggregate({ ...base, window: '1h', consumption: 7.5 }), resets: 1 },
        aggregate({ ...base, window: '1d', windowEnd: T0 + DAY, consumption: 120 }),
      ]),
    });

    const hourly = await eventually(async () => {
      const found = await influxQuery(`SELECT * FROM ${m('aggregate_1h')} WHERE "device" = 'it-em-1'`);
      return found[0];
    });
    const row = Object.fromEntries(hourly.columns.map((c, i) => [c, hourly.values[0]?.[i]]));
    expect(row).toMatchObject({
      time: T0,
      device: 'it-em-1',
      metric: 'energy.active_energy_index',
      unit: 'kWh',
      count: 4,
      sum: 4010,
      min: 1000,
      max: 1006,
      mean: 1002.5,
      last: 1006,
      consumption: 7.5,
      resets: 1,
    });
    const types = Object.fromEntries(
      ((await influxQuery(`SHOW FIELD KEYS FROM ${m('aggregate_1h')}`))[0]?.values ?? []) as Array<
        [string, string]
      >,
    );
    expect(types).toEqual({
      count: 'integer',
      sum: 'float',
      min: 'float',
      max: 'float',
      mean: 'float',
      last: 'float',
      consumption: 'float',
      resets: 'integer',
    });
    for (const [window, consumption] of [
      ['15m', 1.5],
      ['1d', 120],
    ] as const) {
      const found = await eventually(async () => {
        const s = await influxQuery(
          `SELECT "consumption" FROM ${m(`aggregate_${window}`)} WHERE "device" = 'it-em-1'`,
        );
        return s[0];
      });
      expect(found.values).toEqual([[T0, consumption]]);
    }
  });

  it('counts rejections by reason and device, unknown when the topic named none', async () => {
    const { deviceIdHint: _, ...anonymous } = rejection({ reason: 'TOPIC_INVALID' });
    await producer.send({
      topic: topics.rejected,
      messages: jsonMessages([
        rejection({ deviceIdHint: 'it-rj-1', source: { partition: 0, offset: '1' } }),
        rejection({ deviceIdHint: 'it-rj-1', source: { partition: 0, offset: '2' } }),
        { ...anonymous, receivedAt: T0 },
      ]),
    });
    const series = await eventually(async () => {
      const found = await influxQuery(
        `SELECT sum("count") FROM ${m('rejection')} GROUP BY "reason", "device"`,
      );
      const total = found.reduce((sum, s) => sum + Number(s.values[0]?.[1]), 0);
      return total === 3 ? found : undefined;
    });
    const counts = Object.fromEntries(
      series.map((s) => [`${s.tags?.reason}/${s.tags?.device}`, s.values[0]?.[1]]),
    );
    expect(counts).toEqual({ 'VALUE_OUT_OF_RANGE/it-rj-1': 2, 'TOPIC_INVALID/unknown': 1 });
  });

  it('overwrites a duplicated reading and a recomputed window instead of adding points', async () => {
    const once = reading({ deviceId: 'it-dup-1', value: 5, ts: T0 });
    const window = { deviceId: 'it-dup-1', window: '1h' as const, windowStart: T0 };
    const marker = reading({ deviceId: 'it-dup-1', value: 9, ts: T0 + HOUR });
    await producer.send({
      topic: topics.readings,
      messages: jsonMessages([once, once, marker]),
    });
    await producer.send({
      topic: topics.aggregates,
      messages: jsonMessages([aggregate({ ...window, count: 3, sum: 3000, last: 1001 })]),
    });
    await eventually(async () => {
      const s = await influxQuery(`SELECT "count" FROM ${m('aggregate_1h')} WHERE "device" = 'it-dup-1'`);
      return s[0]?.values[0]?.[1] === 3 ? true : undefined;
    });
    // The window recomputed after a late reading, and the same reading replayed.
    await producer.send({
      topic: topics.aggregates,
      messages: jsonMessages([aggregate({ ...window, count: 4, sum: 4010, last: 1006 })]),
    });
    await producer.send({ topic: topics.readings, messages: jsonMessages([once]) });

    const windows = await eventually(async () => {
      const s = await influxQuery(
        `SELECT "count", "sum", "last" FROM ${m('aggregate_1h')} WHERE "device" = 'it-dup-1'`,
      );
      return s[0]?.values[0]?.[1] === 4 ? s[0].values : undefined;
    });
    expect(windows).toEqual([[T0, 4, 4010, 1006]]);
    await eventually(async () =>
      (await fullyCommitted(admin, groupId, topics.readings)) ? true : undefined,
    );
    const points = await influxQuery(`SELECT "value" FROM ${m('reading')} WHERE "device" = 'it-dup-1'`);
    expect(points[0]?.values).toEqual([
      [T0, 5],
      [T0 + HOUR, 9],
    ]);
  });

  it('skips and counts a malformed record without blocking its partition, and commits past it', async () => {
    const skippedBefore = await metricValue(metrics.recordsSkipped, { stream: 'readings' });
    const after = reading({ deviceId: 'it-mal-1', value: 1, ts: T0 });
    await producer.send({
      topic: topics.readings,
      messages: [
        { key: 'it-mal-1', value: '{"deviceId": "it-mal-1", "value": ' },
        { key: 'it-mal-1', value: JSON.stringify({ deviceId: 'it-mal-1', value: 'high' }) },
        { key: 'it-mal-1', value: null },
        ...jsonMessages([after]),
      ],
    });
    const stored = await eventually(async () => {
      const s = await influxQuery(`SELECT "value" FROM ${m('reading')} WHERE "device" = 'it-mal-1'`);
      return s[0]?.values;
    });
    expect(stored).toEqual([[T0, 1]]);
    expect(await metricValue(metrics.recordsSkipped, { stream: 'readings', cause: 'malformed_json' })).toBe(
      1,
    );
    expect(await metricValue(metrics.recordsSkipped, { stream: 'readings', cause: 'invalid_record' })).toBe(
      1,
    );
    expect(await metricValue(metrics.recordsSkipped, { stream: 'readings', cause: 'empty' })).toBe(1);
    expect((await metricValue(metrics.recordsSkipped, { stream: 'readings' })) - skippedBefore).toBe(3);
    await eventually(async () =>
      (await fullyCommitted(admin, groupId, topics.readings)) ? true : undefined,
    );
  });

  it('writes the good points of a batch InfluxDB refuses in part, and skips only the bad one', async () => {
    // A float `count` in an older week makes that shard refuse the writer's integer count.
    const poisonedDay = T0 - 30 * DAY;
    const conflict = `${prefix}_aggregate_1d,device=it-iso-1,domain=energy,metric=energy.active_energy_index,site=mairie,tenant=lyon,unit=kWh count=1.5 ${poisonedDay}000000`;
    const auth = `Token ${env.INFLUX_USERNAME}:${env.INFLUX_PASSWORD}`;
    const write = await fetch(
      `${env.INFLUX_URL}/api/v2/write?org=&bucket=${env.INFLUX_DATABASE}/autogen&precision=ns`,
      { method: 'POST', headers: { authorization: auth }, body: conflict },
    );
    expect(write.status).toBe(204);
    const refusedBefore = await metricValue(metrics.recordsSkipped, { cause: 'rejected_by_influxdb' });

    const day = (windowStart: number, count: number) =>
      aggregate({ deviceId: 'it-iso-1', window: '1d', windowStart, windowEnd: windowStart + DAY, count });
    await producer.send({
      topic: topics.aggregates,
      messages: jsonMessages([day(poisonedDay, 2), day(T0 - DAY, 3), day(T0, 4)]),
    });

    const stored = await eventually(async () => {
      const s = await influxQuery(`SELECT "count" FROM ${m('aggregate_1d')} WHERE "device" = 'it-iso-1'`);
      return s[0]?.values.length === 3 ? s[0].values : undefined;
    });
    expect(stored).toEqual([
      [poisonedDay, 1.5],
      [T0 - DAY, 3],
      [T0, 4],
    ]);
    await eventually(async () =>
      (await metricValue(metrics.recordsSkipped, { cause: 'rejected_by_influxdb' })) === refusedBefore + 1
        ? true
        : undefined,
    );
    await eventually(async () =>
      (await fullyCommitted(admin, groupId, topics.aggregates)) ? true : undefined,
    );
    expect(writer.health().status).toBe('ok');
  });
});
