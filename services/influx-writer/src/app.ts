import type { HealthReport, Logger } from '@terrapulse/service-kit';
import type { WriterMetrics } from './metrics.js';
import type { PointSink } from './ports/point-sink.js';
import type { RecordSource } from './ports/record-source.js';
import { WritePipeline, type WritePipelineOptions } from './write-pipeline.js';

export interface InfluxWriterOptions extends WritePipelineOptions {
  /** How long `stop` waits for buffered points to be written before handing them back to Kafka. */
  readonly stopTimeoutMs: number;
}

export interface InfluxWriterDeps {
  readonly source: RecordSource;
  readonly sink: PointSink;
  readonly metrics: WriterMetrics;
  readonly logger: Logger;
  readonly options: InfluxWriterOptions;
  /** Called when the Kafka consumer fails for good; main exits so that a supervisor restarts it. */
  readonly onFatal?: (error: Error) => void;
}

export interface InfluxWriter {
  /** Joins the consumer group and starts writing. */
  start(): Promise<void>;
  /** Stops taking records, writes what is buffered (or hands it back), commits, disconnects. */
  stop(): Promise<void>;
  /** For /healthz: degraded while InfluxDB does not take writes or the consumer is out of its group. */
  health(): HealthReport;
}

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/** The influx-writer service: Kafka streams in, InfluxDB points out, offsets committed after. */
export function createInfluxWriter(deps: InfluxWriterDeps): InfluxWriter {
  const { source, sink, metrics, logger, options } = deps;
  const pipeline = new WritePipeline({ sink, metrics, logger, options });
  let state: State = 'created';

  return {
    async start() {
      if (state !== 'created') throw new Error(`influx-writer cannot start when ${state}`);
      state = 'starting';
      // Only for health and logs: consumption starts anyway, and writes wait for InfluxDB.
      pipeline.noteReachable(await sink.ping());
      await source.start({
        onChunk: (chunk) => pipeline.accept(chunk),
        onIdle: () => pipeline.flush(),
        onFatal: (error) => {
          logger.error('Kafka consumer failed for good', { error });
          deps.onFatal?.(error);
        },
      });
      state = 'running';
      logger.info('influx-writer started');
    },

    async stop() {
      if (state === 'stopping' || state === 'stopped' || state === 'created') return;
      state = 'stopping';
      source.stopDelivering();
      const drained = await pipeline.drain(options.stopTimeoutMs);
      if (!drained) {
        logger.warn('InfluxDB did not take the buffered points in time; Kafka will deliver them again', {
          stopTimeoutMs: options.stopTimeoutMs,
        });
      }
      await source.stop();
      await sink.close();
      state = 'stopped';
      logger.info('influx-writer stopped', { drained });
    },

    health(): HealthReport {
      const influx = pipeline.influx();
      const kafka = source.status();
      const checks = { influxdb: influx, kafka, pendingPoints: pipeline.pendingPoints() };
      if (state === 'created' || state === 'starting') return { status: 'starting', checks };
      if (state === 'stopping' || state === 'stopped') return { status: 'stopping', checks };
      return { status: influx.up === false || !kafka.joined ? 'degraded' : 'ok', checks };
    },
  };
}
