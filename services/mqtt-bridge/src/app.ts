import type { HealthReport, Logger } from '@terrapulse/service-kit';
import { BatchingForwarder } from './batching-forwarder.js';
import { backoffDelayMs } from './domain/backoff.js';
import { RawRecordEncoder } from './domain/raw-record.js';
import { RawSinkError } from './errors.js';
import type { BridgeMetrics } from './metrics.js';
import type { RawRecordSink } from './ports/raw-record-sink.js';
import type { Delivery, UplinkSource } from './ports/uplink-source.js';

/** Per-record bytes beyond the payload (Kafka record framing, headers), for the batch byte budget. */
const RECORD_OVERHEAD_BYTES = 256;

export interface MqttBridgeOptions {
  /** Goes into the tp-bridge-id header of every record. */
  readonly instanceId: string;
  readonly lingerMs: number;
  readonly maxBatch: number;
  readonly maxBatchBytes: number;
  readonly retryMaxMs: number;
  readonly drainTimeoutMs: number;
  /** A Kafka send running longer than this makes /healthz degraded. Default 10 s. */
  readonly slowSendMs?: number;
}

export interface MqttBridgeDeps {
  readonly source: UplinkSource;
  readonly sink: RawRecordSink;
  readonly logger: Logger;
  readonly metrics: BridgeMetrics;
  readonly options: MqttBridgeOptions;
}

export interface StopBridgeOptions {
  /** End the broker sessions (retiring the instance id for good, or a test cleaning up). */
  readonly endSessions?: boolean;
  /** Overrides the configured drain timeout; 0 leaves everything in flight to the broker. */
  readonly drainTimeoutMs?: number;
}

export interface MqttBridge {
  start(): Promise<void>;
  stop(options?: StopBridgeOptions): Promise<void>;
  health(): HealthReport;
}

type State = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * The bridge: every delivery from the broker becomes a raw record, goes through the shared
 * batching forwarder, and is acknowledged to the broker once Kafka has it.
 */
export function createMqttBridge(deps: MqttBridgeDeps): MqttBridge {
  const { source, sink, logger, metrics, options } = deps;
  const encoder = new RawRecordEncoder(options.instanceId);
  const forwarder = new BatchingForwarder(
    sink,
    {
      lingerMs: options.lingerMs,
      maxBatch: options.maxBatch,
      maxBatchBytes: options.maxBatchBytes,
      retry: { initialMs: 100, maxMs: options.retryMaxMs },
    },
    metrics,
    logger.child({ component: 'forwarder' }),
  );
  metrics.observe({
    inFlight: () => forwarder.status().inFlight,
    mqttConnected: () => source.status().connected,
  });
  let state: State = 'created';

  const onDelivery = (delivery: Delivery): undefined | Promise<void> => {
    metrics.received.inc();
    const record = encoder.encode(delivery, delivery.payload, delivery.receivedAt);
    const bytes = delivery.payload.length + delivery.topic.length + RECORD_OVERHEAD_BYTES;
    return forwarder.offer({ record, bytes, ack: delivery });
  };

  return {
    async start() {
      if (state !== 'created') throw new Error(`bridge cannot start when ${state}`);
      state = 'starting';
      await connectSink(sink, logger, () => state !== 'starting');
      try {
        await source.start(onDelivery);
      } catch (error) {
        forwarder.close();
        await sink.close();
        state = 'stopped';
        throw error;
      }
      state = 'running';
      logger.info('bridge running', { instanceId: options.instanceId });
    },

    async stop(stopOptions = {}) {
      if (state === 'stopping' || state === 'stopped') return;
      state = 'stopping';
      // Stop taking work, let Kafka take (and the broker get acks for) what is in flight, then close.
      source.pause();
      const drained = await forwarder.drain(stopOptions.drainTimeoutMs ?? options.drainTimeoutMs);
      if (!drained) {
        logger.warn('stopping with messages not in Kafka; the broker delivers them again', {
          inFlight: forwarder.status().inFlight,
        });
      }
      forwarder.close();
      await source.stop({ endSessions: stopOptions.endSessions === true });
      await sink.close();
      state = 'stopped';
      logger.info('bridge stopped', { instanceId: options.instanceId });
    },

    health() {
      return healthReport(state, source, sink, forwarder, options.slowSendMs ?? 10_000);
    },
  };
}

/**
 * Kafka unreachable at boot is waited for, as it is later on: the broker keeps the uplinks
 * meanwhile, and /healthz says `starting`. Errors that are not about reachability fail the start.
 */
async function connectSink(sink: RawRecordSink, logger: Logger, abandoned: () => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await sink.connect();
      return;
    } catch (error) {
      if (!(error instanceof RawSinkError && error.canRetry) || abandoned()) throw error;
      const delayMs = backoffDelayMs(attempt, { initialMs: 500, maxMs: 10_000 });
      logger.warn('kafka unreachable; retrying', { error: error.message, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function healthReport(
  state: State,
  source: UplinkSource,
  sink: RawRecordSink,
  forwarder: BatchingForwarder,
  slowSendMs: number,
): HealthReport {
  const mqtt = source.status();
  const forwarding = forwarder.status();
  const kafka = { ...sink.status(), ...forwarding };
  const mqttOk = mqtt.connected === mqtt.total;
  const kafkaOk = kafka.connected && !forwarding.failing && (forwarding.sendingForMs ?? 0) < slowSendMs;
  const checks = { mqtt: { ok: mqttOk, ...mqtt }, kafka: { ok: kafkaOk, ...kafka } };
  if (state === 'created' || state === 'starting') return { status: 'starting', checks };
  if (state !== 'running') return { status: 'stopping', checks };
  return { status: mqttOk && kafkaOk ? 'ok' : 'degraded', checks };
}
