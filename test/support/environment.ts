import { randomUUID } from 'node:crypto';
import { readLocalEnvironment } from '@terrapulse/infra-runner';

/** Connection settings of the servers `npm run infra -- up` started. */
export interface TestEnvironment {
  readonly mqttUrl: string;
  readonly mqttAdmin: { username: string; password: string };
  readonly mqttBridge: { username: string; password: string };
  readonly kafkaBrokers: string[];
  readonly influxUrl: string;
  readonly influxDatabase: string;
  readonly influxUsername: string;
  readonly influxPassword: string;
  readonly redisUrl: string;
}

function required(vars: Record<string, string>, name: string): string {
  const value = vars[name];
  if (value === undefined || value === '')
    throw new Error(`local environment lacks ${name}: run \`npm run infra -- up\``);
  return value;
}

export function testEnvironment(): TestEnvironment {
  const vars = readLocalEnvironment();
  return {
    mqttUrl: required(vars, 'MQTT_URL'),
    mqttAdmin: {
      username: required(vars, 'MQTT_ADMIN_USERNAME'),
      password: required(vars, 'MQTT_ADMIN_PASSWORD'),
    },
    mqttBridge: {
      username: required(vars, 'MQTT_BRIDGE_USERNAME'),
      password: required(vars, 'MQTT_BRIDGE_PASSWORD'),
    },
    kafkaBrokers: required(vars, 'KAFKA_BROKERS').split(','),
    influxUrl: required(vars, 'INFLUX_URL'),
    influxDatabase: required(vars, 'INFLUX_DATABASE'),
    influxUsername: required(vars, 'INFLUX_USERNAME'),
    influxPassword: required(vars, 'INFLUX_PASSWORD'),
    redisUrl: required(vars, 'REDIS_URL'),
  };
}

/** A name no other test (or earlier run) uses, so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
