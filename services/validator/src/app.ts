import type { HealthReport, Logger } from '@terrapulse/service-kit';
import { createBatchProcessor } from './batch-processor.js';
import { createUplinkValidator, type ValidationPolicy } from './domain/index.js';
import type { ValidatorMetrics } from './metrics.js';
import type { DeviceDirectory, OutputSink, RawUplinkSource } from './ports/index.js';

export interface ValidatorDeps {
  readonly source: RawUplinkSource;
  readonly sink: OutputSink;
  readonly directory: DeviceDirectory;
  readonly metrics: ValidatorMetrics;
  readonly logger: Logger;
  readonly policy: ValidationPolicy;
  readonly topics: { readonly readings: string; readonly rejected: string };
  /** Bytes of output per Kafka send; below the broker's message.max.bytes. */
  readonly maxSendBytes: number;
  /** Backoff of a failed output send. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

export interface Validator {
  /** Connects, loads the registry, then consumes; resolves once consumption runs. */
  start(): Promise<void>;
  /** Stops taking batches, hands back or finishes the batch in flight, closes every client. */
  stop(): Promise<void>;
  health(): HealthReport;
}

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export function createValidator(deps: ValidatorDeps): Validator {
  const { source, sink, directory, logger } = deps;
  const stopping = new AbortController();
  let phase: Phase = 'idle';

  const processBatch = createBatchProcessor({
    validate: createUplinkValidator({ lookup: directory.lookup, policy: deps.policy }),
    sink,
    topics: deps.topics,
    metrics: deps.metrics,
    logger,
    maxSendBytes: deps.maxSendBytes,
    signal: stopping.signal,
    ...(deps.retry !== undefined && { retry: deps.retry }),
  });

  return {
    async start() {
      if (phase !== 'idle') throw new Error(`validator cannot start when ${phase}`);
      phase = 'starting';
      await sink.connect();
      // Not one raw message before the registry is complete: an early message would be refused
      // as UNKNOWN_DEVICE for a device the registry knows.
      await directory.start();
      if (stopping.signal.aborted) return;
      await source.start(processBatch);
      phase = 'running';
      logger.info('validator running', { devices: directory.size() });
    },

    async stop() {
      if (phase === 'stopping' || phase === 'stopped') return;
      phase = 'stopping';
      stopping.abort();
      // The table stays readable while the registry consumer closes, so both close at once.
      await Promise.all([source.stop(), directory.stop()]);
      await sink.close();
      phase = 'stopped';
    },

    health() {
      const consumer = source.health();
      const producer = sink.health();
      const registry = { loaded: directory.isLoaded(), devices: directory.size() };
      const checks = { registry, kafkaConsumer: consumer, kafkaProducer: producer };
      if (phase === 'stopping' || phase === 'stopped') return { status: 'stopping', checks };
      if (phase !== 'running') return { status: registry.loaded ? 'starting' : 'degraded', checks };
      const ok = registry.loaded && consumer.connected && producer.connected;
      return { status: ok ? 'ok' : 'degraded', checks };
    },
  };
}
