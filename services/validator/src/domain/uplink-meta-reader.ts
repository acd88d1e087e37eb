import {
  parseUplinkTopic,
  RAW_HEADERS,
  RawMessageHeaders,
  type RejectionIssue,
  type UplinkTopicParse,
} from '@terrapulse/contracts';
import {
  type HeaderValue,
  lastHeaderValue,
  ownHeaderValue,
  plainDigits,
  sameHeaderValue,
} from './header-values.js';
import { type RawUplink, readRawHeaders } from './raw-uplink.js';

/** What validation needs from a raw record's headers. */
export type UplinkMeta =
  | {
      readonly ok: true;
      readonly mqttTopic: string;
      readonly receivedAt: number;
      readonly topic: UplinkTopicParse;
    }
  | {
      readonly ok: false;
      /** Salvaged for the dead letter. */
      readonly mqttTopic: string;
      readonly receivedAt: number;
      readonly issues: RejectionIssue[];
    };

/** Every header but the receive time is the same for all messages of a device and format. */
const MQTT_TOPIC = RAW_HEADERS.mqttTopic;
const MQTT_QOS = RAW_HEADERS.mqttQos;
const MQTT_RETAIN = RAW_HEADERS.mqttRetain;
const BRIDGE_ID = RAW_HEADERS.bridgeId;
const CONTENT_TYPE = RAW_HEADERS.contentType;
const RECEIVED_AT = RAW_HEADERS.receivedAt;
const STABLE_HEADERS = [MQTT_TOPIC, MQTT_QOS, MQTT_RETAIN, BRIDGE_ID, CONTENT_TYPE] as const;
/** What a record that reads its own headers is asked for: the stable headers, then the receive time. */
const READ_HEADERS: readonly string[] = [...STABLE_HEADERS, RECEIVED_AT];
const RECEIVED_AT_INDEX = STABLE_HEADERS.length;
const receivedAtSchema = RawMessageHeaders.shape[RAW_HEADERS.receivedAt];

/**
 * The memo key of a topic header: its text (the lean consumer hands out the same string for the
 * same bytes, and a string keeps its hash), or its bytes one char each. Values of both kinds may
 * share a bucket; entries compare exactly.
 */
const topicKey = (value: HeaderValue | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : value.toString('latin1');

type RecordReadingHeaders = RawUplink & Required<Pick<RawUplink, 'headerValues'>>;

/** One combination of stable header values seen valid, with what its topic parses to. */
interface MemoEntry {
  readonly values: readonly (HeaderValue | undefined)[];
  readonly mqttTopic: string;
  readonly topic: UplinkTopicParse;
}

/**
 * Reads the bridge's headers with the contract, memoized: the stable headers of a device and
 * format are parsed once (and the MQTT topic with them); per message they are only compared, byte
 * for byte, with the values seen valid, and the receive time is read from its digits. A full
 * contract parse costs about 5 µs, a third of a message's budget at 20,000 readings/s; this is the
 * same validation without repeating it. Any header out of the ordinary (a receive time that is not
 * 1 to 15 digits, an unseen combination) goes through the contract. The memo is bounded: it starts
 * over when full.
 */
export class UplinkMetaReader {
  /** By MQTT topic (`topicKey`); a bucket holds the combinations of the other values seen with it. */
  private readonly memo = new Map<string, MemoEntry[]>();
  private entries = 0;
  /** Scratch list of the current message's stable values, reused so a read allocates nothing. */
  private readonly values: (HeaderValue | undefined)[] = new Array(STABLE_HEADERS.length);
  /** The current message's receive-time header, as `lastHeaderValue` gives it. */
  private receivedAtValue: HeaderValue | undefined | null;
  /** Scratch list of the values a record reads for READ_HEADERS. */
  private readonly texts: (string | undefined)[] = new Array(READ_HEADERS.length);

  constructor(private readonly maxEntries = 20_000) {}

  read(uplink: RawUplink): UplinkMeta {
    const key =
      uplink.headerValues !== undefined
        ? this.collectFromRecord(uplink as RecordReadingHeaders)
        : this.collectFromHeaders(uplink.headers);
    const known = key === undefined ? undefined : this.find(key);
    if (known === undefined) return this.readFully(uplink, key);
    const receivedAt = this.receivedAt();
    if (receivedAt === undefined) return this.readFully(uplink, undefined); // known: not remembered twice
    return { ok: true, mqttTopic: known.mqttTopic, topic: known.topic, receivedAt };
  }

  /** The lean consumer's records read the few headers from their bytes: no headers object. */
  private collectFromRecord(uplink: RecordReadingHeaders): string {
    const { values, texts } = this;
    uplink.headerValues(READ_HEADERS, texts);
    for (let i = 0; i < STABLE_HEADERS.length; i += 1) values[i] = texts[i];
    this.receivedAtValue = texts[RECEIVED_AT_INDEX];
    return topicKey(values[0]);
  }

  /**
   * Fills `values` and `receivedAtValue` and returns the memo key; undefined when a stable header
   * has an unusual shape. One lookup per header name, each by its own constant name: a loop over
   * the names would make one lookup site see every name, which V8 then serves by its slowest path.
   */
  private collectFromHeaders(headers: RawUplink['headers']): string | undefined {
    const { values } = this;
    if (headers === undefined) {
      values.fill(undefined);
      this.receivedAtValue = undefined;
      return topicKey(undefined);
    }
    this.receivedAtValue = lastHeaderValue(headers[RECEIVED_AT]);
    const topic = lastHeaderValue(headers[MQTT_TOPIC]);
    const qos = lastHeaderValue(headers[MQTT_QOS]);
    const retain = lastHeaderValue(headers[MQTT_RETAIN]);
    const bridgeId = lastHeaderValue(headers[BRIDGE_ID]);
    const contentType = lastHeaderValue(headers[CONTENT_TYPE]);
    if (topic === null || qos === null || retain === null || bridgeId === null || contentType === null) {
      return undefined;
    }
    values[0] = topic;
    values[1] = qos;
    values[2] = retain;
    values[3] = bridgeId;
    values[4] = contentType;
    return topicKey(topic);
  }

  private find(key: string): MemoEntry | undefined {
    const bucket = this.memo.get(key);
    if (bucket === undefined) return undefined;
    for (const entry of bucket) if (this.isCurrent(entry)) return entry;
    return undefined;
  }

  private isCurrent(entry: MemoEntry): boolean {
    for (let i = 0; i < STABLE_HEADERS.length; i += 1) {
      if (!sameHeaderValue(entry.values[i], this.values[i])) return false;
    }
    return true;
  }

  /** The common epoch-ms digits read in place, else the contract's codec on the header text. */
  private receivedAt(): number | undefined {
    const value = this.receivedAtValue;
    if (value === null) return undefined;
    const digits = plainDigits(value);
    if (digits !== undefined) return digits;
    const parsed = receivedAtSchema.safeParse(value?.toString());
    return parsed.success ? parsed.data : undefined;
  }

  /** The contract's parse of every header; remembered under `key` when it is valid. */
  private readFully(uplink: RawUplink, key: string | undefined): UplinkMeta {
    const full = readRawHeaders(uplink);
    if (!full.ok) {
      return { ok: false, mqttTopic: full.topic, receivedAt: full.receivedAt, issues: full.issues };
    }
    const mqttTopic = full.headers[RAW_HEADERS.mqttTopic];
    const topic = parseUplinkTopic(mqttTopic);
    if (key !== undefined) this.remember(key, { values: this.values.map(ownHeaderValue), mqttTopic, topic });
    return { ok: true, mqttTopic, topic, receivedAt: full.headers[RAW_HEADERS.receivedAt] };
  }

  private remember(key: string, entry: MemoEntry): void {
    if (this.entries >= this.maxEntries) {
      this.memo.clear();
      this.entries = 0;
    }
    const bucket = this.memo.get(key);
    if (bucket === undefined) this.memo.set(key, [entry]);
    else bucket.push(entry);
    this.entries += 1;
  }
}
