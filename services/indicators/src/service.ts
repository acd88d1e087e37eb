import { createKafka, type Logger, startOpsServer } from '@terrapulse/service-kit';
import { Redis } from 'ioredis';
import { InfluxAggregateReader } from './adapters/influxdb/influx-aggregate-reader.js';
import { InfluxHttp } from './adapters/influxdb/influx-http.js';
import { KafkaLagProbe } from './adapters/kafka/kafka-lag-probe.js';
import { KafkaRegistryCatalog } from './adapters/kafka/kafka-registry-catalog.js';
import { createIndicatorsApp, type IndicatorsApp } from './app.js';
import { createIndicatorComputer } from './compute-indicators.js';
import { type IndicatorsConfig, indicatorSettings, influxSettings } from './config.js';
import { measurementNames } from './domain/index.js';
import { JobRunner } from './jobs/job-runner.js';
import { createIndicatorsMetrics } from './metrics.js';

export interface IndicatorsService {
  readonly app: IndicatorsApp;
  readonly opsPort: number;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Builds every adapter from the configuration, starts the app and its ops endpoint. */
export async function startIndicatorsService(
  config: IndicatorsConfig,
  { logger, processMetrics = true }: { logger: Logger; processMetrics?: boolean },
): Promise<IndicatorsService> {
  const metrics = createIndicatorsMetrics({ processMetrics });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, logger });
  const admin = kafka.admin();
  const names = measurementNames(config.INFLUX_MEASUREMENT_PREFIX);
  const influx = new InfluxHttp(influxSettings(config));
  const reader = new InfluxAggregateReader(influx, names);
  const registry = new KafkaRegistryCatalog(kafka, {
    topic: config.TOPIC_REGISTRY,
    groupId: `${config.KAFKA_CLIENT_ID}-registry-${config.INDICATORS_INSTANCE_ID}`,
    logger,
    metrics,
  });
  const computer = createIndicatorComputer({
    reader,
    writer: influx,
    devices: registry,
    names,
    ...indicatorSettings(config),
    logger,
  });
  logger.info('emission factors', {
    factors: computer.factors,
    sources: computer.sources,
    gasKwhPerM3: config.GAS_KWH_PER_M3,
  });
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', (error) => logger.warn('redis connection error', { error }));
  await admin.connect();
  const app = createIndicatorsApp({
    registry,
    computer,
    fleet: {
      devices: registry,
      reader,
      writer: influx,
      names,
      silenceFactor: config.FLEET_SILENCE_FACTOR,
      lastSeenLookbackMs: config.FLEET_LAST_SEEN_LOOKBACK_DAYS * DAY_MS,
    },
    lag: { probe: new KafkaLagProbe(admin, config.PIPELINE_GROUPS), writer: influx, names },
    jobs: (handlers) =>
      new JobRunner({
        queueName: config.INDICATORS_QUEUE,
        connection,
        every: {
          'compute-indicators': config.INDICATORS_EVERY_MS,
          'fleet-snapshot': config.FLEET_SNAPSHOT_EVERY_MS,
          'pipeline-lag': config.PIPELINE_LAG_EVERY_MS,
        },
        handlers,
        metrics,
        logger,
      }),
    lookbackDays: config.INDICATORS_LOOKBACK_DAYS,
    periods: { fleetMs: config.FLEET_SNAPSHOT_EVERY_MS, lagMs: config.PIPELINE_LAG_EVERY_MS },
    logger,
  });
  const ops = await startOpsServer({
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    registry: metrics.registry,
    health: () => app.health(),
    logger,
  });
  try {
    await app.start();
  } catch (error) {
    await Promise.allSettled([app.stop(), ops.close(), admin.disconnect()]);
    connection.disconnect();
    throw error;
  }
  return {
    app,
    opsPort: ops.port,
    async stop() {
      await app.stop();
      await admin.disconnect();
      await connection.quit().catch(() => connection.disconnect());
      await ops.close();
    },
  };
}
