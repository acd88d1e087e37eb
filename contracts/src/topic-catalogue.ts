import { type MessageContract, messageContracts } from './message-contracts.js';

const DAY_MS = 86_400_000;

/** The value of a topic's records: a JSON message contract, or bytes described in words. */
export type TopicValue =
  | { readonly format: 'json'; readonly contract: MessageContract }
  | { readonly format: 'bytes'; readonly description: string };

export interface TopicSpec {
  readonly name: string;
  readonly description: string;
  /** What the record key is; every Terrapulse key is a UTF-8 string. */
  readonly key: string;
  readonly value: TopicValue;
  /** Schema of the record headers, when the topic defines any. */
  readonly headers?: MessageContract;
  /** Six for telemetry topics: two instances of a service take three partitions each. */
  readonly partitions: number;
  /** -1 keeps records forever. */
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** Further Kafka topic configuration, as `kafka-topics --config` takes it. */
  readonly config?: Readonly<Record<string, string>>;
  /** Services that write to and read from the topic, for the AsyncAPI document and humans. */
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

const DEVICE_KEY = 'deviceId (UTF-8): all records of a device stay on one partition, in order';

export const TOPICS = Object.freeze({
  raw: {
    name: 'telemetry.raw',
    description: 'Every MQTT uplink, payload bytes unchanged, MQTT metadata in headers',
    key: 'deviceId segment of the MQTT topic (UTF-8), or the whole topic when it has none',
    value: {
      format: 'bytes',
      description:
        'The MQTT payload exactly as published (envelope JSON, SenML JSON, or anything a device sent)',
    },
    headers: messageContracts.rawMessageHeaders,
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    cleanupPolicy: 'delete',
    producers: ['mqtt-bridge'],
    consumers: ['validator'],
  },
  readings: {
    name: 'telemetry.readings',
    description: 'Validated readings in canonical units, one record per reading',
    key: DEVICE_KEY,
    value: { format: 'json', contract: messageContracts.normalizedReading },
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    cleanupPolicy: 'delete',
    producers: ['validator'],
    consumers: ['aggregator', 'influx-writer', 'alerting'],
  },
  rejected: {
    name: 'telemetry.rejected',
    description: 'Dead letters: messages the pipeline refused, with the reason and the original bytes',
    key: 'deviceId of the topic when it could be parsed, else the MQTT topic (UTF-8)',
    value: { format: 'json', contract: messageContracts.rejection },
    partitions: 6,
    // Longer than the other topics: a rejection is investigated by a human, sometimes weeks later.
    retentionMs: 30 * DAY_MS,
    cleanupPolicy: 'delete',
    producers: ['validator'],
    consumers: ['influx-writer', 'alerting'],
  },
  aggregates: {
    name: 'telemetry.aggregates',
    description:
      'Window statistics per device, metric and dimensions; a recomputed window replaces the previous one',
    key: DEVICE_KEY,
    value: { format: 'json', contract: messageContracts.aggregate },
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    cleanupPolicy: 'delete',
    producers: ['aggregator'],
    consumers: ['influx-writer', 'alerting'],
  },
  registryDevices: {
    name: 'registry.devices',
    description: 'Latest record of every device (compacted); a null value deletes the device',
    key: 'deviceId (UTF-8)',
    value: { format: 'json', contract: messageContracts.deviceRecord },
    partitions: 3,
    retentionMs: -1,
    cleanupPolicy: 'compact',
    // Tombstones stay a day, so a consumer that was down less than that still sees the deletion.
    config: { 'delete.retention.ms': String(DAY_MS) },
    producers: ['registry'],
    consumers: ['validator', 'aggregator', 'alerting'],
  },
} as const satisfies Record<string, TopicSpec>);

export type TopicId = keyof typeof TOPICS;

export const topicCatalogue: readonly TopicSpec[] = Object.freeze(Object.values(TOPICS));

export function getTopic(name: string): TopicSpec | undefined {
  return topicCatalogue.find((topic) => topic.name === name);
}
