import { createKafka, type Logger } from '@terrapulse/service-kit';
import { KafkaRawRecordSink } from './adapters/kafka/kafka-raw-record-sink.js';
import { LeanKafkaSink } from './adapters/kafka-lean/lean-kafka-sink.js';
import { MqttUplinkSource } from './adapters/mqtt/mqtt-uplink-source.js';
import { createMqttBridge, type MqttBridge } from './app.js';
import type { BridgeConfig } from './config.js';
import { type BridgeMetrics, createBridgeMetrics } from './metrics.js';
import type { RawRecordSink } from './ports/raw-record-sink.js';

export interface BuiltBridge {
  readonly bridge: MqttBridge;
  readonly metrics: BridgeMetrics;
}

/**
 * Wires the real adapters from a config: what main.ts runs, and what tests, benchmarks and an
 * orchestrator start in-process. Connects nothing until `bridge.start()`.
 */
export function buildMqttBridge(
  config: BridgeConfig,
  logger: Logger,
  metrics: BridgeMetrics = createBridgeMetrics(),
): BuiltBridge {
  const sink = createSink(config, logger.child({ component: 'kafka' }));
  const source = new MqttUplinkSource({
    ...config.mqtt,
    instanceId: config.instanceId,
    logger,
    metrics,
  });
  const bridge = createMqttBridge({
    source,
    sink,
    logger,
    metrics,
    options: { instanceId: config.instanceId, ...config.batching },
  });
  return { bridge, metrics };
}

function createSink(config: BridgeConfig, logger: Logger): RawRecordSink {
  const { client, brokers, clientId, topic } = config.kafka;
  if (client === 'lean') return new LeanKafkaSink({ brokers, clientId, topic, logger });
  return new KafkaRawRecordSink({ kafka: createKafka({ brokers, clientId, logger }), topic, logger });
}
