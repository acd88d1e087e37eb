import {
  encodeRawHeaders,
  MAX_MQTT_TOPIC_LENGTH,
  parseUplinkTopic,
  RAW_HEADERS,
  type RawMessageHeaders,
  uplinkContentType,
} from '@terrapulse/contracts';
import { type EncodedHeaders, encodeHeaders } from '@terrapulse/service-kit';
import type { RawRecord, SplitHeaders } from '../ports/raw-record-sink.js';

export interface UplinkMeta {
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

/**
 * The record key: the deviceId of the topic, so a device's messages share a partition; the
 * topic itself when it names no valid device (the validator dead-letters it).
 */
export function rawRecordKey(topic: string): string {
  const parsed = parseUplinkTopic(topic);
  return parsed.deviceId ?? topic;
}

/** The contract's headers of one message, as text. */
export function rawRecordHeaders(
  meta: UplinkMeta,
  bridgeId: string,
  receivedAt: number,
): Record<string, string> {
  const parsed = parseUplinkTopic(meta.topic);
  const headers: RawMessageHeaders = {
    // The contract bounds the header; only a topic whose format segment is absurdly long is cut,
    // and its cut format is still unknown, so the validator still refuses it.
    [RAW_HEADERS.mqttTopic]: meta.topic.slice(0, MAX_MQTT_TOPIC_LENGTH),
    [RAW_HEADERS.receivedAt]: receivedAt,
    [RAW_HEADERS.mqttQos]: meta.qos,
    [RAW_HEADERS.mqttRetain]: meta.retain,
    [RAW_HEADERS.bridgeId]: bridgeId,
    [RAW_HEADERS.contentType]: parsed.ok ? uplinkContentType[parsed.format] : 'application/octet-stream',
  };
  return encodeRawHeaders(headers);
}

/** Every header but the receive time, as text and as Kafka record bytes. */
interface SharedHeaders {
  readonly text: Readonly<Record<string, string>>;
  readonly encoded: EncodedHeaders;
}

/** What a topic's records share: the key, and the contract's headers per (qos, retain). */
interface CachedTopic {
  readonly key: string;
  readonly variants: Array<SharedHeaders | undefined>;
}

const H = RAW_HEADERS;

function sharedHeaders(all: Readonly<Record<string, string>>): SharedHeaders {
  const { [H.receivedAt]: _receivedAt, ...text } = all;
  return { text, encoded: encodeHeaders(text) };
}

/**
 * One message's record. A producer that copies pre-encoded bytes takes `split` (the shared
 * headers encoded once per topic, and the receive time); `headers`, every header as text, is
 * built only when something asks for it (kafkajs, logs, tests).
 */
class EncodedRawRecord implements RawRecord {
  constructor(
    readonly key: string,
    readonly value: Buffer,
    private readonly shared: SharedHeaders,
    private readonly receivedAt: string,
  ) {}

  get headers(): Readonly<Record<string, string>> {
    return { ...this.shared.text, [H.receivedAt]: this.receivedAt };
  }

  get split(): SplitHeaders {
    return { shared: this.shared.encoded, own: { [H.receivedAt]: this.receivedAt } };
  }
}

/**
 * Builds raw records. Encoding headers through the contract's zod codecs costs about 25 µs, a
 * budget the bridge cannot pay per message at 20,000 messages/s; everything but the receive time
 * depends only on (topic, qos, retain), so that part is encoded once per topic, through the
 * contract, and kept in a bounded cache (oldest topic out first). The receive time is encoded as
 * the contract's codec does: decimal epoch ms.
 */
export class RawRecordEncoder {
  private readonly cache = new Map<string, CachedTopic>();

  constructor(
    private readonly bridgeId: string,
    private readonly cacheSize = 50_000,
  ) {}

  encode(meta: UplinkMeta, payload: Buffer, receivedAt: number): RawRecord {
    let topic = this.cache.get(meta.topic);
    if (topic === undefined) {
      if (this.cache.size >= this.cacheSize) this.evictOldest();
      topic = { key: rawRecordKey(meta.topic), variants: [] };
      this.cache.set(meta.topic, topic);
    }
    const variant = meta.qos * 2 + (meta.retain ? 1 : 0);
    let shared = topic.variants[variant];
    if (shared === undefined) {
      shared = sharedHeaders(rawRecordHeaders(meta, this.bridgeId, receivedAt));
      topic.variants[variant] = shared;
    }
    return new EncodedRawRecord(topic.key, payload, shared, String(receivedAt));
  }

  private evictOldest(): void {
    const oldest = this.cache.keys().next();
    if (oldest.done !== true) this.cache.delete(oldest.value);
  }
}
