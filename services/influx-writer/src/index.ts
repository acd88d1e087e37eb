export { InfluxPointSink, type InfluxPointSinkOptions } from './adapters/influxdb/influx-point-sink.js';
export { KafkaRecordSource, type KafkaRecordSourceOptions } from './adapters/kafka/kafka-record-source.js';
export {
  createInfluxWriter,
  type InfluxWriter,
  type InfluxWriterDeps,
  type InfluxWriterOptions,
} from './app.js';
export { type InfluxWriterConfig, InfluxWriterEnv, loadConfig } from './config.js';
export { encodeRecord, type SkipCause, type Stream } from './domain/encode-record.js';
export {
  aggregateLine,
  MEASUREMENT_KINDS,
  type MeasurementKind,
  type MeasurementNames,
  measurementNames,
  readingLine,
  rejectionLine,
} from './domain/line-protocol.js';
export { PointSinkError, type PointSinkErrorCode } from './errors.js';
export { createWriterMetrics, type WriterMetrics } from './metrics.js';
export type { PointSink } from './ports/point-sink.js';
export type { RecordChunk, RecordSource, RecordSourceHandler, SourceRecord } from './ports/record-source.js';
export { type BuildOptions, buildInfluxWriter } from './wiring.js';
