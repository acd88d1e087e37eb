import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const required = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_USERNAME: 'writer',
  INFLUX_PASSWORD: 'secret',
};

describe('influx-writer configuration', () => {
  it('defaults to the catalogue topics, its own group and ops port, and the documented batch bounds', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      OPS_PORT: 9404,
      OPS_HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_GROUP_ID: 'tp-influx-writer',
      TOPIC_READINGS: 'telemetry.readings',
      TOPIC_AGGREGATES: 'telemetry.aggregates',
      TOPIC_REJECTED: 'telemetry.rejected',
      INFLUX_DATABASE: 'terrapulse',
      INFLUX_RETENTION_POLICY: 'autogen',
      INFLUX_MEASUREMENT_PREFIX: '',
      WRITER_MAX_POINTS: 5000,
      WRITER_MAX_LINGER_MS: 250,
      KAFKA_FROM_BEGINNING: true,
    });
  });

  it('refuses to start without InfluxDB credentials, naming each missing variable', () => {
    const { INFLUX_USERNAME: _, INFLUX_PASSWORD: __, ...withoutCredentials } = required;
    expect(() => loadConfig(withoutCredentials)).toThrow(/INFLUX_USERNAME.*INFLUX_PASSWORD/);
  });

  it('refuses a measurement prefix that would need escaping', () => {
    expect(() => loadConfig({ ...required, INFLUX_MEASUREMENT_PREFIX: 'it run,' })).toThrow(
      /INFLUX_MEASUREMENT_PREFIX/,
    );
    expect(
      loadConfig({ ...required, INFLUX_MEASUREMENT_PREFIX: 'it_run_1_' }).INFLUX_MEASUREMENT_PREFIX,
    ).toBe('it_run_1_');
  });

  it('reads numbers and flags from their text', () => {
    const config = loadConfig({ ...required, WRITER_MAX_IN_FLIGHT: '4', KAFKA_FROM_BEGINNING: 'false' });
    expect(config.WRITER_MAX_IN_FLIGHT).toBe(4);
    expect(config.KAFKA_FROM_BEGINNING).toBe(false);
    expect(() => loadConfig({ ...required, WRITER_MAX_POINTS: '0' })).toThrow(/WRITER_MAX_POINTS/);
  });
});
