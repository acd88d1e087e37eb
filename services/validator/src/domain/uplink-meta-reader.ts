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
const STABLE_HEADERS = [
  RAW_HEADERS.mqttTopic,
  RAW_HEADERS.mqttQos,
  RAW_HEADERS.mqttRetain,
  RAW_HEADERS.bridgeId,
  RAW_HEADERS.contentType,
] as const;
const receivedAtSchema = RawMessageHeaders.shape[RAW_HEADERS.receivedAt];

/**
 * The memo key of a topic header: its text (the lean consumer hands out the same string for the
 * same bytes, and a string keeps its hash), or its bytes one char each. Values of both kinds may
 * share a bucket; entries compare exactly.
 */
const topicKey = (value: HeaderValue | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : value.toString('latin1');

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

  constructor(private readonly maxEntries = 20_000) {}

  read(uplink: RawUplink): UplinkMeta {
    const key = this.collectStableValues(uplink);
    const known = key === undefined ? undefined : this.find(key);
    if (known === undefined) return this.readFully(uplink, key);
    const receivedAt = this.receivedAt(uplink);
    if (receivedAt === undefined) return this.readFully(uplink, undefined); // known: not remembered twice
    return { ok: true, mqttTopic: known.mqttTopic, topic: known.topic, receivedAt };
  }

  /** Fills `values` and returns the memo key; undefined when a header has an unusual shape. */
  private collectStableValues(uplink: RawUplink): string | undefined {
    const headers = uplink.headers;
    for (let i = 0; i < STABLE_HEADERS.length; i += 1) {
      const value = headers === undefined ? undefined : lastHeaderValue(headers[STABLE_HEADERS[i] as string]);
      if (value === null) return undefined;
      this.values[i] = value;
    }
    return topicKey(this.values[0]);
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
  private receivedAt(uplink: RawUplink): number | undefined {
    const value = lastHeaderValue(uplink.headers?.[RAW_HEADERS.receivedAt]);
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
