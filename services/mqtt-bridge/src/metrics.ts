import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the bridge exposes on /metrics. Gauges are read from their source at scrape time. */
export interface BridgeMetrics {
  readonly registry: Registry;
  readonly received: Counter;
  readonly forwarded: Counter;
  readonly pubacks: Counter;
  readonly staleAcks: Counter;
  readonly abandoned: Counter;
  readonly skipped: Counter<'reason'>;
  readonly kafkaErrors: Counter<'code'>;
  readonly kafkaSendSeconds: Histogram;
  readonly batchSize: Histogram;
  readonly mqttReconnects: Counter;
  /** Wires the gauges to the live values they report. */
  observe(sources: { inFlight: () => number; mqttConnected: () => number }): void;
}

export interface BridgeMetricsOptions {
  /** Process metrics (CPU, RSS, event loop lag) with the bridge prefix; off in unit tests. */
  readonly processMetrics?: boolean;
}

export function createBridgeMetrics(options: BridgeMetricsOptions = {}): BridgeMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'terrapulse_bridge_' });
  const counter = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });

  let sources = { inFlight: () => 0, mqttConnected: () => 0 };
  new Gauge({
    name: 'terrapulse_bridge_inflight_messages',
    help: 'Messages received and not yet acknowledged to the broker (buffered, being sent, waiting for room)',
    registers: [registry],
    collect() {
      this.set(sources.inFlight());
    },
  });
  new Gauge({
    name: 'terrapulse_bridge_mqtt_connections',
    help: 'MQTT connections of this instance that are connected',
    registers: [registry],
    collect() {
      this.set(sources.mqttConnected());
    },
  });

  return {
    registry,
    received: counter('terrapulse_bridge_messages_received_total', 'MQTT messages received from the broker'),
    forwarded: counter(
      'terrapulse_bridge_messages_forwarded_total',
      'Messages Kafka acknowledged (durable in telemetry.raw)',
    ),
    pubacks: counter(
      'terrapulse_bridge_pubacks_total',
      'PUBACKs sent to the broker, each after Kafka acknowledged',
    ),
    staleAcks: counter(
      'terrapulse_bridge_stale_acks_total',
      'Acknowledgements not sent because the connection that received the message closed; the broker redelivers it',
    ),
    abandoned: counter(
      'terrapulse_bridge_messages_abandoned_total',
      'Messages dropped before sending because their connection closed; the broker redelivers them',
    ),
    skipped: counter(
      'terrapulse_bridge_messages_skipped_total',
      'Messages Kafka refused for their content (e.g. too large), acknowledged and not forwarded',
      ['reason'],
    ),
    kafkaErrors: counter('terrapulse_bridge_kafka_errors_total', 'Failed Kafka send attempts', ['code']),
    kafkaSendSeconds: new Histogram({
      name: 'terrapulse_bridge_kafka_send_duration_seconds',
      help: 'Duration of successful Kafka sends (one batch each)',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'terrapulse_bridge_batch_size_messages',
      help: 'Messages per Kafka send',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
      registers: [registry],
    }),
    mqttReconnects: counter('terrapulse_bridge_mqtt_reconnects_total', 'MQTT reconnect attempts'),
    observe(next) {
      sources = next;
    },
  };
}
