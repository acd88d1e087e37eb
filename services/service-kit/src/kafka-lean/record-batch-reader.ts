import { headerSelectionOf } from './header-selection.js';
import { Cursor } from './record-cursor.js';

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
  /**
   * The last value of each of `names` into `into` (undefined where the record has none), read
   * straight from the record's bytes: for a reader of a few known headers per record, without
   * the `headers` object. Pass the same, unchanging list every time: it is compiled once.
   */
  headerValues(names: readonly string[], into: Array<string | undefined>): void;
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

  headerValues(names: readonly string[], into: Array<string | undefined>): void {
    const cursor = headerCursor;
    cursor.buffer = this.buffer;
    cursor.at = this.headersStart;
    headerSelectionOf(names).read(cursor, into);
    cursor.buffer = EMPTY; // kept, the buffer would pin the whole fetch response
  }
}

const EMPTY = Buffer.alloc(0);
/** Reused by `headerValues`, which runs to its end without yielding: no cursor per record. */
const headerCursor = new Cursor(EMPTY, 0);

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
