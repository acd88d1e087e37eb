import {
  encodeRawHeaders,
  MAX_MQTT_TOPIC_LENGTH,
  parseUplinkTopic,
  RAW_HEADERS,
  type RawMessageHeaders,
  uplinkContentType,
} from '@terrapulse/contracts';
import type { RawRecord } from '../ports/raw-record-sink.js';

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

/** What a topic's records share: the key, and the contract's header text per (qos, retain). */
interface CachedTopic {
  readonly key: string;
  readonly variants: Array<Readonly<Record<string, string>> | undefined>;
}

const H = RAW_HEADERS;

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
    let h = topic.variants[variant];
    if (h === undefined) {
      h = rawRecordHeaders(meta, this.bridgeId, receivedAt);
      topic.variants[variant] = h;
    }
    // A literal rather than a spread: every record's headers then share one object shape, which
    // is what keeps building and encoding them cheap.
    const headers: Record<string, string> = {
      [H.mqttTopic]: h[H.mqttTopic] as string,
      [H.receivedAt]: String(receivedAt),
      [H.mqttQos]: h[H.mqttQos] as string,
      [H.mqttRetain]: h[H.mqttRetain] as string,
      [H.bridgeId]: h[H.bridgeId] as string,
      [H.contentType]: h[H.contentType] as string,
    };
    return { key: topic.key, value: payload, headers };
  }

  private evictOldest(): void {
    const oldest = this.cache.keys().next();
    if (oldest.done !== true) this.cache.delete(oldest.value);
  }
}
