/**
 * A record as the lean consumer delivers it: the fields of kafkajs's KafkaMessage the services
 * read. Header values are UTF-8 text (every Terrapulse header is), which kafkajs's header type
 * allows and saves a Buffer per header.
 */
export interface LeanRecord {
  /** Decimal offset, as kafkajs spells it. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  /** Decimal milliseconds. */
  readonly timestamp: string;
  readonly attributes: number;
}

/**
 * A record decoded lazily: the value at once (every consumer reads it), the offset as a number;
 * the key, the headers and the decimal strings only when asked for. Most consumers read a few
 * of them, and each costs an allocation per record.
 */
class RecordView implements LeanRecord {
  readonly attributes = 0;
  #offset: string | undefined;
  #headers: Record<string, string> | undefined;

  constructor(
    private readonly buffer: Buffer,
    readonly offsetNumber: number,
    private readonly timestampNumber: number,
    private readonly keyStart: number,
    readonly value: Buffer | null,
    private readonly headersStart: number,
  ) {}

  get offset(): string {
    this.#offset ??= String(this.offsetNumber);
    return this.#offset;
  }

  get timestamp(): string {
    return String(this.timestampNumber);
  }

  get key(): Buffer | null {
    return new Cursor(this.buffer, this.keyStart).bytes();
  }

  get headers(): Record<string, string> {
    if (this.#headers !== undefined) return this.#headers;
    const cursor = new Cursor(this.buffer, this.headersStart);
    const count = cursor.varint();
    const headers: Record<string, string> = {};
    for (let h = 0; h < count; h++) {
      const name = cursor.headerName();
      headers[name.name] = cursor.headerValue(name);
    }
    this.#headers = headers;
    return headers;
  }
}

/** baseOffset 8, batchLength 4: what precedes the rest of a batch. */
const BATCH_LOG_OVERHEAD = 12;
/** From baseOffset to the record count included. */
const BATCH_HEADER_BYTES = 61;
const COMPRESSION_MASK = 0x07;
const CONTROL_FLAG = 0x20;
const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export class UnsupportedBatchError extends Error {
  override readonly name = 'UnsupportedBatchError';
}

/** A decoded header name, with the value it came with last time. */
interface KnownName {
  readonly bytes: Buffer;
  readonly name: string;
  last: { readonly bytes: Buffer; readonly text: string } | undefined;
}

/** Decoded header names by byte length (up to 63), a few per length. */
const HEADER_NAMES: Array<KnownName[] | undefined> = new Array(64);

/** Decoded header values by FNV-1a hash of their bytes; cleared when full. */
const HEADER_VALUES = new Map<number, { bytes: Buffer; text: string }>();
const MAX_CACHED_VALUES = 50_000;
const MAX_CACHED_VALUE_BYTES = 256;

function sameBytes(buffer: Buffer, start: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (buffer[start + i] !== bytes[i]) return false;
  return true;
}

/** A cursor over one fetched partition's bytes: varints read in place, keys and values as views. */
class Cursor {
  at: number;

  constructor(
    readonly buffer: Buffer,
    at: number,
  ) {
    this.at = at;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.buffer[this.at++] as number;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    return (result >>> 1) ^ -(result & 1);
  }

  /** Timestamp deltas are varlongs; beyond 2^31 ms (24 days) within one batch they need the slow path. */
  varlong(): number {
    let result = 0;
    let multiplier = 1;
    let byte: number;
    do {
      byte = this.buffer[this.at++] as number;
      result += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    } while (byte & 0x80);
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  skip(): void {
    const length = this.varint();
    if (length > 0) this.at += length;
  }

  /**
   * A header value. Most repeat from record to record (a device's MQTT topic, the QoS, the
   * bridge id), so decoded values are kept: first the value that came last with the same name
   * (the QoS, the bridge id, the content type are the same in every record, a receive time in
   * the next few), a comparison; then by a hash of their bytes: a hit costs a hash and a
   * comparison instead of a native decode and a new string.
   */
  headerValue(name: KnownName): string {
    const length = this.varint();
    if (length <= 0) return '';
    const start = this.at;
    const end = start + length;
    this.at = end;
    if (length > MAX_CACHED_VALUE_BYTES) return this.buffer.toString('utf8', start, end);
    const last = name.last;
    if (last !== undefined && last.bytes.length === length && sameBytes(this.buffer, start, last.bytes))
      return last.text;
    const value = this.#cachedValue(start, end);
    name.last = value;
    return value.text;
  }

  #cachedValue(start: number, end: number): { readonly bytes: Buffer; readonly text: string } {
    const length = end - start;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (this.buffer[i] as number), 0x01000193);
    const cached = HEADER_VALUES.get(hash);
    if (
      cached !== undefined &&
      cached.bytes.length === length &&
      sameBytes(this.buffer, start, cached.bytes)
    ) {
      return cached;
    }
    const value = {
      bytes: Buffer.from(this.buffer.subarray(start, end)),
      text: this.buffer.toString('utf8', start, end),
    };
    if (HEADER_VALUES.size >= MAX_CACHED_VALUES) HEADER_VALUES.clear();
    HEADER_VALUES.set(hash, value);
    return value;
  }

  /**
   * A header name: the same few names come in every record, so they are decoded once; an
   * unusual one (beyond 8 per length) is decoded each time, with no value remembered.
   */
  headerName(): KnownName {
    const length = this.varint();
    const start = this.at;
    this.at += length;
    const candidates = HEADER_NAMES[length];
    if (candidates !== undefined) {
      for (const candidate of candidates)
        if (sameBytes(this.buffer, start, candidate.bytes)) return candidate;
    }
    const known: KnownName = {
      bytes: Buffer.from(this.buffer.subarray(start, start + length)),
      name: this.buffer.toString('utf8', start, start + length),
      last: undefined,
    };
    if (length < HEADER_NAMES.length && (candidates?.length ?? 0) < 8) {
      const list = candidates ?? [];
      HEADER_NAMES[length] = list;
      list.push(known);
    }
    return known;
  }
}

/**
 * The records at or after `fromOffset` in a fetch response's record bytes (RecordBatch v2,
 * uncompressed). A batch may start before `fromOffset` (the broker returns whole batches) and
 * the last one may be cut short by the size limit: both are expected. Control batches
 * (transaction markers) are skipped. Compressed batches are refused: every Terrapulse producer
 * writes uncompressed batches, and decompression would cost more than it saves on one machine.
 */
export interface ReadBatches {
  readonly records: LeanRecord[];
  /** Offset after the last whole batch (control batches included); undefined when none is whole. */
  readonly nextOffset: number | undefined;
}

export function readRecordBatches(records: Buffer, fromOffset: number): ReadBatches {
  const out: LeanRecord[] = [];
  let nextOffset: number | undefined;
  let at = 0;
  while (at + BATCH_HEADER_BYTES <= records.length) {
    const baseOffset = Number(records.readBigInt64BE(at));
    const batchLength = records.readInt32BE(at + 8);
    const end = at + BATCH_LOG_OVERHEAD + batchLength;
    if (end > records.length) break;
    const magic = records.readInt8(at + 16);
    if (magic !== 2) throw new UnsupportedBatchError(`record batch magic ${magic} is not supported`);
    nextOffset = baseOffset + records.readInt32BE(at + 23) + 1;
    const attributes = records.readInt16BE(at + 21);
    const compression = attributes & COMPRESSION_MASK;
    if (compression !== 0) {
      throw new UnsupportedBatchError(
        `compressed record batches (${COMPRESSION_NAMES[compression] ?? compression}) are not supported by the lean consumer`,
      );
    }
    if ((attributes & CONTROL_FLAG) === 0) {
      const baseTimestamp = Number(records.readBigInt64BE(at + 27));
      const count = records.readInt32BE(at + 57);
      const cursor = new Cursor(records, at + BATCH_HEADER_BYTES);
      for (let i = 0; i < count; i++) {
        const length = cursor.varint();
        const recordEnd = cursor.at + length;
        cursor.at += 1; // record attributes
        const timestampDelta = cursor.varlong();
        const offset = baseOffset + cursor.varint();
        if (offset < fromOffset) {
          cursor.at = recordEnd;
          continue;
        }
        const keyStart = cursor.at;
        cursor.skip();
        const value = cursor.bytes();
        out.push(new RecordView(records, offset, baseTimestamp + timestampDelta, keyStart, value, cursor.at));
        cursor.at = recordEnd;
      }
    }
    at = end;
  }
  return { records: out, nextOffset };
}
