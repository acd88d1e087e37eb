export type { DeviceDirectory } from './device-directory.js';
export type { OutputMessage, OutputSink, SinkHealth, TopicMessages } from './output-sink.js';
export type { RawBatch, RawBatchHandler, RawUplinkSource, SourceHealth } from './raw-uplink-source.js';
