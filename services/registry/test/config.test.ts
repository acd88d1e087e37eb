import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://:pw@127.0.0.1:6379',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  MQTT_ADMIN_USERNAME: 'admin',
  MQTT_ADMIN_PASSWORD: 'pw',
  REGISTRY_ADMIN_TOKEN: 't'.repeat(32),
};

describe('registry configuration', () => {
  it('should apply the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.REGISTRY_HTTP_PORT).toBe(8410);
    expect(config.REGISTRY_HTTP_HOST).toBe('127.0.0.1');
    expect(config.OPS_PORT).toBe(9410);
    expect(config.REGISTRY_KEY_PREFIX).toBe('tp:registry:');
    expect(config.TOPIC_REGISTRY).toBe('registry.devices');
    expect(config.REGISTRY_SILENCE_FACTOR).toBe(3);
  });

  it('should refuse to start without an admin token, or with a short one', () => {
    const { REGISTRY_ADMIN_TOKEN: _t, ...withoutToken } = base;
    expect(() => loadConfig(withoutToken)).toThrow(/REGISTRY_ADMIN_TOKEN/);
    expect(() => loadConfig({ ...base, REGISTRY_ADMIN_TOKEN: 'short' })).toThrow(/REGISTRY_ADMIN_TOKEN.*32/);
  });

  it('should refuse a key prefix that could break Redis key layout', () => {
    expect(() => loadConfig({ ...base, REGISTRY_KEY_PREFIX: 'a b{' })).toThrow(/REGISTRY_KEY_PREFIX/);
  });
});
