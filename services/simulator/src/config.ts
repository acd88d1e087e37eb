import { join } from 'node:path';
import { TOPICS } from '@terrapulse/contracts';
import { repositoryRoot } from '@terrapulse/infra-runner';
import { CommonEnv, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().min(1);

/** The simulator's environment; command-line options override the fleet variables for one run. */
export function simulatorEnv(defaultCredentialsFile: string) {
  return CommonEnv.extend(KafkaEnv.shape)
    .extend({
      /** Where /healthz and /metrics listen; 0 picks a free port (tests, several simulators at once). */
      OPS_PORT: port.default(9407),
      /** The broker devices connect to, each with its own credentials. */
      MQTT_URL: z.string().regex(/^mqtts?:\/\/.+/, 'an mqtt:// or mqtts:// URL'),
      /** Dynamic-security admin: provisioning creates one client and one role per device with it. */
      MQTT_ADMIN_USERNAME: z.string().min(1),
      MQTT_ADMIN_PASSWORD: z.string().min(1),
      /** The compacted topic the validator reads devices from, until the registry service owns it. */
      TOPIC_REGISTRY: z.string().min(1).default(TOPICS.registryDevices.name),
      /** Token for --registry-url (an operator's or admin's); REGISTRY_ADMIN_TOKEN when unset. */
      REGISTRY_TOKEN: z.string().min(1).optional(),
      REGISTRY_ADMIN_TOKEN: z.string().min(1).optional(),
      /** Kafka client id of the registry producer, to tell the simulator apart in broker logs. */
      KAFKA_CLIENT_ID: z.string().min(1).default('terrapulse-simulator'),
      /** Device passwords of local runs (mode 0600), so a second run connects without re-provisioning. */
      SIMULATOR_CREDENTIALS_FILE: z.string().min(1).default(defaultCredentialsFile),
      /** Seed of the demo territory: the same seed builds the same devices with the same values. */
      SIMULATOR_SEED: z.string().min(1).default('terrapulse-demo'),
      /** Prefix of every device id, to run a second fleet next to the demo one. */
      SIMULATOR_DEVICE_PREFIX: z
        .string()
        .regex(/^([a-z0-9][a-z0-9-]{0,40})?$/)
        .default(''),
      /** Size of the fleet: several hundred devices across energy, water and mobility by default. */
      SIMULATOR_DEVICES: z.coerce.number().int().min(0).default(360),
      /** Publishes awaiting a PUBACK per device: bounds memory, and sets throughput with --max. */
      SIMULATOR_MAX_INFLIGHT: positiveInt.default(16),
      /**
       * Device MQTT client: `lean` (a minimal QoS 1 publisher, half the CPU per reading of MQTT.js,
       * plain TCP only) or `mqttjs` (MQTT.js, for mqtts:// and as a reference).
       */
      SIMULATOR_MQTT_CLIENT: z.enum(['lean', 'mqttjs']).default('lean'),
    })
    .refine((env) => env.SIMULATOR_MQTT_CLIENT === 'mqttjs' || env.MQTT_URL.startsWith('mqtt://'), {
      path: ['SIMULATOR_MQTT_CLIENT'],
      message: 'the lean client speaks mqtt:// only: set SIMULATOR_MQTT_CLIENT=mqttjs for mqtts://',
    });
}

export type SimulatorConfig = z.infer<ReturnType<typeof simulatorEnv>>;

/** Parses the environment; throws one readable error naming every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv, root: string = repositoryRoot): SimulatorConfig {
  return parseEnv(simulatorEnv(join(root, '.terrapulse', 'simulator', 'credentials.json')), env);
}
