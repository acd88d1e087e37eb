import { TOPICS } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_INSTANCE_ID, loadConfig } from '../src/config.js';

const required = {
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  MQTT_BRIDGE_USERNAME: 'tp-bridge',
  MQTT_BRIDGE_PASSWORD: 'secret',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9092',
};

describe('bridge config', () => {
  it('should default what is safe to default in development', () => {
    const config = loadConfig({ ...required, TERRAPULSE_ENV: 'development' });
    expect(config.instanceId).toBe(DEVELOPMENT_INSTANCE_ID);
    expect(config.ops).toEqual({ host: '127.0.0.1', port: 9401 });
    expect(config.mqtt.shareGroup).toBe('terrapulse-bridge');
    expect(config.kafka.topic).toBe(TOPICS.raw.name);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.2:9092']);
    expect(config.kafka.clientId).toBe(`terrapulse-mqtt-bridge-${DEVELOPMENT_INSTANCE_ID}`);
  });

  it('should require a stable instance id in production', () => {
    expect(() => loadConfig({ ...required, TERRAPULSE_ENV: 'production' })).toThrow(/BRIDGE_INSTANCE_ID/);
    expect(() => loadConfig(required)).toThrow(/BRIDGE_INSTANCE_ID/);
    expect(loadConfig({ ...required, BRIDGE_INSTANCE_ID: 'site-a-1' }).instanceId).toBe('site-a-1');
  });

  it('should never default the bridge credentials', () => {
    const { MQTT_BRIDGE_PASSWORD: _password, ...withoutPassword } = required;
    expect(() => loadConfig({ ...withoutPassword, TERRAPULSE_ENV: 'development' })).toThrow(
      /MQTT_BRIDGE_PASSWORD/,
    );
  });

  it('should refuse a share group MQTT would read as topic levels or wildcards', () => {
    expect(() => loadConfig({ ...required, TERRAPULSE_ENV: 'test', BRIDGE_SHARE_GROUP: 'a/b' })).toThrow(
      /BRIDGE_SHARE_GROUP/,
    );
    expect(() => loadConfig({ ...required, TERRAPULSE_ENV: 'test', BRIDGE_SHARE_GROUP: '+' })).toThrow(
      /BRIDGE_SHARE_GROUP/,
    );
  });

  it('should read the numbers of the environment and refuse those out of range', () => {
    const config = loadConfig({
      ...required,
      TERRAPULSE_ENV: 'test',
      BRIDGE_CONNECTIONS: '32',
      BRIDGE_LINGER_MS: '0',
    });
    expect(config.mqtt.connections).toBe(32);
    expect(config.batching.lingerMs).toBe(0);
    expect(() => loadConfig({ ...required, TERRAPULSE_ENV: 'test', BRIDGE_CONNECTIONS: '0' })).toThrow(
      /BRIDGE_CONNECTIONS/,
    );
    expect(() => loadConfig({ ...required, TERRAPULSE_ENV: 'test', MQTT_URL: 'http://x' })).toThrow(
      /MQTT_URL/,
    );
  });
});
