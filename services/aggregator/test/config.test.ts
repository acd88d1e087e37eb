import { describe, expect, it } from 'vitest';
import { aggregatorOptions, loadConfig } from '../src/config.js';

const REQUIRED = { KAFKA_BROKERS: '127.0.0.1:9092' };

describe('aggregator configuration', () => {
  it('defaults to the catalogue topics, its own group and port, and Paris windows', () => {
    const config = loadConfig(REQUIRED);
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_GROUP_ID: 'tp-aggregator',
      OPS_PORT: 9403,
      OPS_HOST: '127.0.0.1',
      TOPIC_READINGS: 'telemetry.readings',
      TOPIC_AGGREGATES: 'telemetry.aggregates',
      TOPIC_CHECKPOINTS: 'aggregator.checkpoints',
      AGGREGATOR_TIMEZONE: 'Europe/Paris',
      AGGREGATOR_WINDOWS: ['15m', '1h', '1d'],
      AGGREGATOR_EMIT_INTERVAL_MS: 1_000,
      AGGREGATOR_CHECKPOINT_INTERVAL_MS: 5_000,
    });
    expect(aggregatorOptions(config)).toMatchObject({
      timeZone: 'Europe/Paris',
      allowedLatenessMs: 3_600_000,
    });
  });

  it('takes every topic, interval and window list from the environment', () => {
    const config = loadConfig({
      ...REQUIRED,
      TOPIC_READINGS: 'r',
      TOPIC_AGGREGATES: 'a',
      TOPIC_CHECKPOINTS: 'c',
      KAFKA_GROUP_ID: 'g',
      OPS_PORT: '0',
      AGGREGATOR_WINDOWS: '1h, 1d',
      AGGREGATOR_TIMEZONE: 'Asia/Kolkata',
      AGGREGATOR_IDLE_TIMEOUT_MS: '60000',
    });
    expect(config).toMatchObject({
      TOPIC_READINGS: 'r',
      TOPIC_AGGREGATES: 'a',
      TOPIC_CHECKPOINTS: 'c',
      KAFKA_GROUP_ID: 'g',
      OPS_PORT: 0,
      AGGREGATOR_WINDOWS: ['1h', '1d'],
      AGGREGATOR_TIMEZONE: 'Asia/Kolkata',
      AGGREGATOR_IDLE_TIMEOUT_MS: 60_000,
    });
  });

  it('names every invalid variable in one error', () => {
    expect(() =>
      loadConfig({
        AGGREGATOR_TIMEZONE: 'Mars/Olympus',
        AGGREGATOR_WINDOWS: '5m',
        AGGREGATOR_RESET_RATIO: '2',
      }),
    ).toThrow(/KAFKA_BROKERS.*AGGREGATOR_TIMEZONE.*AGGREGATOR_WINDOWS.*AGGREGATOR_RESET_RATIO/);
  });
});
