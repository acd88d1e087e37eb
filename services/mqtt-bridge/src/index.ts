export {
  KafkaRawRecordSink,
  type KafkaRawRecordSinkOptions,
} from './adapters/kafka/kafka-raw-record-sink.js';
export { LeanKafkaSink, type LeanKafkaSinkOptions } from './adapters/kafka-lean/lean-kafka-sink.js';
export {
  MAX_FORWARDED_PACKET_BYTES,
  MqttUplinkSource,
  type MqttUplinkSourceOptions,
} from './adapters/mqtt/mqtt-uplink-source.js';
export {
  createMqttBridge,
  type MqttBridge,
  type MqttBridgeDeps,
  type MqttBridgeOptions,
  type StopBridgeOptions,
} from './app.js';
export { type BuiltBridge, buildMqttBridge } from './build.js';
export {
  AckMode,
  type BridgeConfig,
  BridgeEnv,
  DEVELOPMENT_INSTANCE_ID,
  KafkaClient,
  loadConfig,
} from './config.js';
export { RawSinkError, type RawSinkErrorCode } from './errors.js';
export { type BridgeMetrics, type BridgeMetricsOptions, createBridgeMetrics } from './metrics.js';
export type { RawRecord, RawRecordSink, RawRecordSinkStatus } from './ports/raw-record-sink.js';
export type { Delivery, DeliveryHandler, UplinkSource, UplinkSourceStatus } from './ports/uplink-source.js';
