import { z } from 'zod';
import { MAX_MQTT_TOPIC_LENGTH } from './limits.js';
import { uplinkContentType } from './mqtt-topics.js';
import { EpochMs } from './primitives.js';

/**
 * A record of `telemetry.raw`: the value is the MQTT payload, byte for byte, so that nothing the
 * bridge does can corrupt a reading and a dead letter can always show what the device sent. What
 * the bridge knows about the message travels in Kafka headers, named here. The key is the
 * deviceId segment of the topic (the topic itself when it has none), which keeps each device's
 * messages in order on one partition.
 */
export const RAW_HEADERS = Object.freeze({
  mqttTopic: 'tp-mqtt-topic',
  receivedAt: 'tp-received-at',
  mqttQos: 'tp-mqtt-qos',
  mqttRetain: 'tp-mqtt-retain',
  bridgeId: 'tp-bridge-id',
  contentType: 'tp-content-type',
} as const);
export type RawHeaderName = (typeof RAW_HEADERS)[keyof typeof RAW_HEADERS];

/** Header values are bytes on the wire; these codecs turn their UTF-8 text into typed values and back. */
const epochMsText = z.codec(z.string().regex(/^\d{1,16}$/), EpochMs, {
  decode: (text) => Number(text),
  encode: (ms) => String(ms),
});

const qosText = z.codec(z.enum(['0', '1', '2']), z.union([z.literal(0), z.literal(1), z.literal(2)]), {
  decode: (text) => Number(text) as 0 | 1 | 2,
  encode: (qos) => String(qos) as '0' | '1' | '2',
});

const booleanText = z.codec(z.enum(['true', 'false']), z.boolean(), {
  decode: (text) => text === 'true',
  encode: (flag) => (flag ? 'true' : 'false'),
});

/**
 * Decoded headers of a `telemetry.raw` record. `RawMessageHeaders.parse(textHeaders)` gives typed
 * values; `z.encode(RawMessageHeaders, typed)` gives the strings to send. Other headers (tracing)
 * are ignored.
 */
export const RawMessageHeaders = z
  .object({
    [RAW_HEADERS.mqttTopic]: z
      .string()
      .min(1)
      .max(MAX_MQTT_TOPIC_LENGTH)
      .describe('MQTT topic of the publish'),
    [RAW_HEADERS.receivedAt]: epochMsText.describe('Epoch ms when the bridge received the message'),
    [RAW_HEADERS.mqttQos]: qosText.describe('QoS of the publish as received'),
    [RAW_HEADERS.mqttRetain]: booleanText
      .optional()
      .describe('Retain flag; devices should not retain uplinks'),
    [RAW_HEADERS.bridgeId]: z.string().min(1).max(128).describe('Bridge instance that forwarded the message'),
    [RAW_HEADERS.contentType]: z
      .enum([uplinkContentType.json, uplinkContentType.senml, 'application/octet-stream'])
      .describe(
        'Media type implied by the topic format; application/octet-stream when the format is unknown',
      ),
  })
  .describe('Kafka headers of a telemetry.raw record');
export type RawMessageHeaders = z.infer<typeof RawMessageHeaders>;
/** The headers as UTF-8 text, as a Kafka client reads or writes them. */
export type RawMessageHeadersText = z.input<typeof RawMessageHeaders>;

/** Headers ready for a Kafka producer: every value a string. */
export function encodeRawHeaders(headers: RawMessageHeaders): Record<string, string> {
  const text = z.encode(RawMessageHeaders, headers);
  return Object.fromEntries(
    Object.entries(text).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

type HeaderBytes = string | Uint8Array;

/**
 * Parses headers from whatever a Kafka client hands out (`Object.entries(record.headers)`, a Map
 * of Buffers): names and values are decoded as UTF-8, a repeated name keeps its last value.
 */
export function decodeRawHeaders(
  entries: Iterable<readonly [HeaderBytes, HeaderBytes | null | undefined]>,
): ReturnType<typeof RawMessageHeaders.safeParse> {
  const decoder = new TextDecoder();
  const text = (bytes: HeaderBytes) => (typeof bytes === 'string' ? bytes : decoder.decode(bytes));
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value !== null && value !== undefined) headers[text(name)] = text(value);
  }
  return RawMessageHeaders.safeParse(headers);
}
