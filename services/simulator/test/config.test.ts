import { TOPICS } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  MQTT_ADMIN_USERNAME: 'admin',
  MQTT_ADMIN_PASSWORD: 'secret',
};

describe('simulator configuration', () => {
  it('should default everything but the connection settings and credentials', () => {
    const config = loadConfig(base, '/repo');
    expect(config).toMatchObject({
      OPS_PORT: 9407,
      OPS_HOST: '127.0.0.1',
      TOPIC_REGISTRY: TOPICS.registryDevices.name,
      SIMULATOR_CREDENTIALS_FILE: '/repo/.terrapulse/simulator/credentials.json',
      SIMULATOR_DEVICES: 360,
      SIMULATOR_MAX_INFLIGHT: 16,
      SIMULATOR_MQTT_CLIENT: 'lean',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('should require the admin credentials, never default them', () => {
    const { MQTT_ADMIN_PASSWORD: _password, ...withoutPassword } = base;
    expect(() => loadConfig(withoutPassword, '/repo')).toThrow(/MQTT_ADMIN_PASSWORD/);
    expect(() => loadConfig({ ...base, MQTT_ADMIN_USERNAME: '' }, '/repo')).toThrow(/MQTT_ADMIN_USERNAME/);
  });

  it('should refuse the lean client on a TLS broker URL', () => {
    expect(() => loadConfig({ ...base, MQTT_URL: 'mqtts://broker:8883' }, '/repo')).toThrow(
      /SIMULATOR_MQTT_CLIENT/,
    );
    expect(
      loadConfig({ ...base, MQTT_URL: 'mqtts://broker:8883', SIMULATOR_MQTT_CLIENT: 'mqttjs' }, '/repo')
        .MQTT_URL,
    ).toBe('mqtts://broker:8883');
  });
});
