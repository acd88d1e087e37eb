import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('validator configuration', () => {
  it('defaults topics, group, ops port and time bounds', () => {
    const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      OPS_PORT: 9402,
      OPS_HOST: '127.0.0.1',
      KAFKA_GROUP_ID: 'tp-validator',
      TOPIC_RAW: 'telemetry.raw',
      TOPIC_READINGS: 'telemetry.readings',
      TOPIC_REJECTED: 'telemetry.rejected',
      TOPIC_REGISTRY: 'registry.devices',
      MAX_FUTURE_SKEW_MS: 300_000,
      MAX_READING_AGE_MS: 400 * 86_400_000,
    });
    expect(config.VALIDATOR_INSTANCE_ID).toMatch(/^[0-9a-f]{8}$/);
  });

  it('takes overrides from the environment', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:1, b:2',
      OPS_PORT: '0',
      TOPIC_RAW: 'test.raw',
      MAX_FUTURE_SKEW_MS: '1000',
      VALIDATOR_INSTANCE_ID: 'v1',
    });
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['a:1', 'b:2'],
      OPS_PORT: 0,
      TOPIC_RAW: 'test.raw',
      MAX_FUTURE_SKEW_MS: 1000,
      VALIDATOR_INSTANCE_ID: 'v1',
    });
  });

  it('names every invalid variable in one error, and requires the brokers', () => {
    expect(() => loadConfig({ OPS_PORT: '70000', TOPIC_RAW: 'bad topic' })).toThrow(
      /KAFKA_BROKERS.*OPS_PORT.*TOPIC_RAW|OPS_PORT.*TOPIC_RAW.*KAFKA_BROKERS/,
    );
  });
});
