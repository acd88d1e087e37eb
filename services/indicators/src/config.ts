import { randomUUID } from 'node:crypto';
import { IanaTimezone, TOPICS } from '@terrapulse/contracts';
import { CommonEnv, InfluxEnv, KafkaEnv, parseEnv, port } from '@terrapulse/service-kit';
import { z } from 'zod';
import type { InfluxSettings } from './adapters/influxdb/influx-http.js';
import type { WatchedGroup } from './adapters/kafka/kafka-lag-probe.js';
import type { IndicatorSettings } from './compute-indicators.js';

const positiveInt = z.coerce.number().int().positive();
const factor = z.coerce.number().min(0).max(10).optional();
const name = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/);

/** `group:topic,topic;group:topic` -> the groups pipeline_lag watches. */
const WatchedGroups = z
  .string()
  .min(1)
  .transform((spec, ctx): WatchedGroup[] => {
    const groups: WatchedGroup[] = [];
    for (const entry of spec
      .split(';')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [group, topics = ''] = entry.split(':');
      const list = topics
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (
        group === undefined ||
        !name.safeParse(group.trim()).success ||
        list.length === 0 ||
        !list.every((t) => name.safeParse(t).success)
      ) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not group:topic[,topic]` });
        return z.NEVER;
      }
      groups.push({ group: group.trim(), topics: list });
    }
    return groups;
  });

/** The pipeline's consumer groups and the topics each reads (infra/runner pipeline-services.ts). */
export const DEFAULT_PIPELINE_GROUPS = [
  `tp-validator:${TOPICS.raw.name}`,
  `tp-aggregator:${TOPICS.readings.name}`,
  `tp-influx-writer:${TOPICS.readings.name},${TOPICS.aggregates.name},${TOPICS.rejected.name}`,
].join(';');

export const IndicatorsEnv = CommonEnv.extend(KafkaEnv.shape)
  .extend(InfluxEnv.shape)
  .extend({
    /** /healthz and /metrics; 0 picks a free port (tests). */
    OPS_PORT: port.default(9408),
    /** Names this process in broker logs. */
    KAFKA_CLIENT_ID: z.string().min(1).max(200).default('tp-indicators'),
    /** Makes the registry consumer's group unique per process: every instance reads the whole topic. */
    INDICATORS_INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .default(() => randomUUID().slice(0, 8)),
    /** The compacted registry topic (floor areas, meter roles, lifecycle states). */
    TOPIC_REGISTRY: name.default(TOPICS.registryDevices.name),

    /** Redis of the BullMQ jobs (password in the URL). Required: no default host or secret. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
    /** BullMQ queue; instances sharing it run each scheduled job once. Tests use their own. */
    INDICATORS_QUEUE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/)
      .default('tp-indicators'),

    /** Time zone the aggregator cuts days in: must equal AGGREGATOR_TIMEZONE. */
    INDICATORS_TIMEZONE: IanaTimezone.default('Europe/Paris'),
    /** How often the daily indicators are recomputed: late data keeps changing recent days. */
    INDICATORS_EVERY_MS: positiveInt.min(10_000).default(300_000),
    /** Local days recomputed each time, today included: late data beyond them needs a backfill. */
    INDICATORS_LOOKBACK_DAYS: positiveInt.max(400).default(3),
    /** fleet_devices / device_status period (the schema's one minute). */
    FLEET_SNAPSHOT_EVERY_MS: positiveInt.min(5_000).default(60_000),
    /** pipeline_lag period (the schema's 30 s). */
    PIPELINE_LAG_EVERY_MS: positiveInt.min(5_000).default(30_000),
    /** Silent = no reading for expectedIntervalS times this (the registry's REGISTRY_SILENCE_FACTOR). */
    FLEET_SILENCE_FACTOR: z.coerce.number().positive().default(3),
    /** How far back a device's last reading is looked for; older = never seen (-1). */
    FLEET_LAST_SEEN_LOOKBACK_DAYS: positiveInt.max(400).default(7),
    /** Consumer groups whose lag is recorded: `group:topic[,topic];...`. */
    PIPELINE_GROUPS: WatchedGroups.prefault(DEFAULT_PIPELINE_GROUPS),

    /** kgCO2e per kWh of electricity; default ADEME Base Empreinte, French mix moyen (see README). */
    EMISSION_FACTOR_ELECTRICITY: factor,
    /** kgCO2e per kWh PCS of natural gas; default ADEME Base Empreinte. */
    EMISSION_FACTOR_NATURAL_GAS: factor,
    /** kgCO2e per kWh of district heat; set your network's value. */
    EMISSION_FACTOR_DISTRICT_HEAT: factor,
    /** kWh PCS per m3 of gas (the distributor's conversion coefficient). */
    GAS_KWH_PER_M3: z.coerce.number().min(5).max(15).default(11.2),
  });
export type IndicatorsConfig = z.infer<typeof IndicatorsEnv>;

/** Parses the environment once, in main.ts; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): IndicatorsConfig {
  return parseEnv(IndicatorsEnv, env);
}

/** What the service and the backfill CLI both read: the InfluxDB connection and the indicator settings. */
type ComputeConfig = Omit<IndicatorsConfig, 'REDIS_URL'>;

/** The InfluxDB connection of the configuration, with its measurement prefix. */
export function influxSettings(
  config: ComputeConfig,
): InfluxSettings & { readonly measurementPrefix: string } {
  return {
    url: config.INFLUX_URL,
    database: config.INFLUX_DATABASE,
    retentionPolicy: config.INFLUX_RETENTION_POLICY,
    username: config.INFLUX_USERNAME,
    password: config.INFLUX_PASSWORD,
    timeoutMs: config.INFLUX_TIMEOUT_MS,
    measurementPrefix: config.INFLUX_MEASUREMENT_PREFIX,
  };
}

/** Time zone, gas conversion and emission factors (a factor left unset keeps its default). */
export function indicatorSettings(config: ComputeConfig): Required<IndicatorSettings> {
  return {
    timeZone: config.INDICATORS_TIMEZONE,
    gasKwhPerM3: config.GAS_KWH_PER_M3,
    emissionFactors: {
      electricity: config.EMISSION_FACTOR_ELECTRICITY,
      natural_gas: config.EMISSION_FACTOR_NATURAL_GAS,
      district_heat: config.EMISSION_FACTOR_DISTRICT_HEAT,
    },
  };
}
