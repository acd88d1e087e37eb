import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';

const env = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_USERNAME: 'u',
  INFLUX_PASSWORD: 'p',
  REDIS_URL: 'redis://:secret@127.0.0.1:6379',
};

describe('indicators config', () => {
  it('should default to the pipeline consumer groups, port 9408 and three days every five minutes', () => {
    const config = loadConfig(env);
    expect(config.OPS_PORT).toBe(9408);
    expect(config.INDICATORS_LOOKBACK_DAYS).toBe(3);
    expect(config.INDICATORS_EVERY_MS).toBe(300_000);
    expect(config.PIPELINE_GROUPS).toContainEqual({ group: 'tp-aggregator', topics: ['telemetry.readings'] });
    expect(config.PIPELINE_GROUPS).toHaveLength(3);
  });

  it('should parse watched groups and refuse a malformed list', () => {
    const config = loadConfig({ ...env, PIPELINE_GROUPS: 'g1:a,b; g2:c' });
    expect(config.PIPELINE_GROUPS).toEqual([
      { group: 'g1', topics: ['a', 'b'] },
      { group: 'g2', topics: ['c'] },
    ]);
    expect(() => loadConfig({ ...env, PIPELINE_GROUPS: 'g1' })).toThrow(/PIPELINE_GROUPS/);
  });

  it('should have no default secret and refuse a bad measurement prefix', () => {
    const { INFLUX_PASSWORD: _, ...withoutPassword } = env;
    expect(() => loadConfig(withoutPassword)).toThrow(/INFLUX_PASSWORD/);
    const { REDIS_URL: __, ...withoutRedis } = env;
    expect(() => loadConfig(withoutRedis)).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...env, INFLUX_MEASUREMENT_PREFIX: 'bad-prefix' })).toThrow(/PREFIX/);
  });
});
