import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('runner configuration', () => {
  it('defaults every server to its standard port on loopback', () => {
    const config = loadConfig({}, '/repo');
    expect([config.MQTT_PORT, config.KAFKA_PORT, config.INFLUX_PORT, config.REDIS_PORT]).toEqual([
      1883, 9092, 8086, 6379,
    ]);
    expect(config.TERRAPULSE_BIND).toBe('127.0.0.1');
    expect(config.paths.log('kafka')).toBe('/repo/.terrapulse/logs/kafka.log');
  });

  it('takes port overrides from the environment', () => {
    const config = loadConfig({ MQTT_PORT: '11883', KAFKA_PORT: '19092' }, '/repo');
    expect(config.MQTT_PORT).toBe(11883);
    expect(config.KAFKA_PORT).toBe(19092);
  });

  it('rejects a port that is not a port', () => {
    expect(() => loadConfig({ REDIS_PORT: '70000' }, '/repo')).toThrow(/REDIS_PORT|too big|<=65535/i);
    expect(() => loadConfig({ INFLUX_PORT: 'http' }, '/repo')).toThrow();
  });

  it('keeps the build cache outside the data that reset deletes', () => {
    const config = loadConfig({ TERRAPULSE_HOME: '/var/tp' }, '/repo');
    expect(config.paths.cache).toBe('/var/tp/cache');
    expect(config.paths.data('redis')).toBe('/var/tp/data/redis');
  });

  it('gives influxd a GC target of 200 unless told otherwise, and refuses turning its GC off', () => {
    expect(loadConfig({}, '/repo').INFLUX_GOGC).toBe(200);
    expect(loadConfig({ INFLUX_GOGC: '100' }, '/repo').INFLUX_GOGC).toBe(100);
    expect(() => loadConfig({ INFLUX_GOGC: 'off' }, '/repo')).toThrow(/INFLUX_GOGC|number/i);
    expect(() => loadConfig({ INFLUX_GOGC: '0' }, '/repo')).toThrow();
  });
});
