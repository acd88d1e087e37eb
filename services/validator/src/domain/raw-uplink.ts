import {
  decodeRawHeaders,
  RAW_HEADERS,
  type RawMessageHeaders,
  type RejectionIssue,
} from '@terrapulse/contracts';

/** A header value as Kafka clients hand it out: repeated names arrive as arrays. */
export type RawHeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined;

/**
 * One record of `telemetry.raw`, in the shape kafkajs already gives (`KafkaMessage` satisfies it),
 * so the hot path copies nothing before validation.
 */
export interface RawUplink {
  /** Offset in its partition, a decimal string (int64). */
  readonly offset: string;
  /** Kafka record timestamp (epoch ms, decimal string): receivedAt of last resort for a dead letter. */
  readonly timestamp: string;
  /** The MQTT payload, byte for byte; null only if a producer wrote a tombstone by mistake. */
  readonly value: Uint8Array | null;
  readonly headers?: Readonly<Record<string, RawHeaderValue>>;
  /**
   * Offered by the lean consumer's records: the last value of each of `names` (the same list every
   * time) into `into`, read from the record's bytes without building `headers`. When absent, readers
   * take `headers`; both give the same values.
   */
  readonly headerValues?: (names: readonly string[], into: Array<string | undefined>) => void;
}

export type RawHeadersRead =
  | { ok: true; headers: RawMessageHeaders }
  | {
      ok: false;
      /** What could be salvaged for the dead letter. */
      topic: string;
      receivedAt: number;
      issues: RejectionIssue[];
    };

function lastValue(value: RawHeaderValue): Buffer | string | undefined {
  if (value === undefined || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return value[value.length - 1];
}

function* headerEntries(
  headers: Readonly<Record<string, RawHeaderValue>>,
): Iterable<readonly [string, Buffer | string | undefined]> {
  for (const name in headers) yield [name, lastValue(headers[name])];
}

const text = (value: Buffer | string | undefined): string | undefined =>
  value === undefined ? undefined : value.toString();

/**
 * Decodes the bridge's headers with the contract. Headers the bridge failed to write are a bridge
 * bug, but the message must still reach a dead letter, so the failure keeps what it can.
 */
export function readRawHeaders(uplink: RawUplink): RawHeadersRead {
  const headers = uplink.headers ?? {};
  const parsed = decodeRawHeaders(headerEntries(headers));
  if (parsed.success) return { ok: true, headers: parsed.data };
  const receivedText = text(lastValue(headers[RAW_HEADERS.receivedAt]));
  const received = Number(receivedText);
  const fallback = Number(uplink.timestamp);
  return {
    ok: false,
    topic: text(lastValue(headers[RAW_HEADERS.mqttTopic])) ?? '',
    receivedAt: Number.isSafeInteger(received) && received >= 0 ? received : Math.max(0, fallback || 0),
    issues: parsed.error.issues.map((issue) => ({
      path: ['headers', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  };
}
