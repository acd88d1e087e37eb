import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { testEnvironment, uniqueName } from '../support/environment.js';
import { influxQuery } from '../support/influxql.js';

const env = testEnvironment();
// InfluxDB 1.8's v2-compatible API: token "user:password", bucket "database/retention-policy".
const influx = new InfluxDB({ url: env.influxUrl, token: `${env.influxUsername}:${env.influxPassword}` });
const bucket = `${env.influxDatabase}/autogen`;

describe('InfluxDB through the official client', () => {
  it('stores points written with the v2 write API and reads them back with InfluxQL', async () => {
    const measurement = uniqueName('it_readings').replaceAll('-', '_');
    const write = influx.getWriteApi('', bucket, 'ms');
    const t0 = Date.UTC(2026, 10, 28, 10, 0, 0);
    for (let i = 0; i < 10; i++) {
      write.writePoint(
        new Point(measurement)
          .tag('device', 'meter-1')
          .floatField('value', i * 1.5)
          .timestamp(t0 + i * 60_000),
      );
    }
    await write.close();

    const series = await influxQuery(env, `SELECT count("value"), sum("value") FROM "${measurement}"`);
    expect(series[0]?.values[0]?.slice(1)).toEqual([10, 67.5]);
  });

  it('overwrites a duplicate point with the same series and timestamp instead of adding one', async () => {
    const measurement = uniqueName('it_dup').replaceAll('-', '_');
    const ts = Date.UTC(2026, 10, 28, 12, 0, 0);
    const write = influx.getWriteApi('', bucket, 'ms');
    write.writePoint(new Point(measurement).tag('device', 'meter-1').floatField('value', 1).timestamp(ts));
    await write.flush();
    write.writePoint(new Point(measurement).tag('device', 'meter-1').floatField('value', 42).timestamp(ts));
    write.writePoint(new Point(measurement).tag('device', 'meter-2').floatField('value', 7).timestamp(ts));
    await write.close();

    const series = await influxQuery(env, `SELECT "value" FROM "${measurement}" GROUP BY "device"`);
    const byDevice = Object.fromEntries(series.map((s) => [s.tags?.device, s.values]));
    expect(byDevice['meter-1']).toEqual([[ts, 42]]);
    expect(byDevice['meter-2']).toEqual([[ts, 7]]);
  });

  it('refuses a write with wrong credentials', async () => {
    const intruder = new InfluxDB({ url: env.influxUrl, token: `${env.influxUsername}:wrong` });
    const write = intruder.getWriteApi('', bucket, 'ms', { maxRetries: 0 });
    write.writePoint(new Point('intrusion').floatField('value', 1));
    await expect(write.close()).rejects.toThrow(/401|authorization|unauthorized/i);
  });
});
