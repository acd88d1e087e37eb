import { crc32c } from './crc32c.js';

/** Header entries already in record-batch bytes: encoded once, copied into many records. */
export interface EncodedHeaders {
  readonly count: number;
  /** Each entry: varint name length, name, varint value length, value (UTF-8). */
  readonly bytes: Buffer;
}

/** What goes into a record: the key already as bytes (the partitioner hashed them). */
export interface BatchRecord {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** Written before `headers`: the entries a producer's records share, encoded once. */
  readonly encodedHeaders?: EncodedHeaders | undefined;
}

export interface BatchProducer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/** baseOffset 8, batchLength 4, partitionLeaderEpoch 4, magic 1, crc 4 ... records count 4. */
const BATCH_HEADER_BYTES = 61;
/** The CRC covers everything after the crc field. */
const CRC_START = 21;

function sizeOfVarint(value: number): number {
  let unsigned = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (unsigned > 0x7f) {
    unsigned >>>= 7;
    bytes += 1;
  }
  return bytes;
}

function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let unsigned = ((value << 1) ^ (value >> 31)) >>> 0;
  let at = offset;
  while (unsigned > 0x7f) {
    buffer[at++] = (unsigned & 0x7f) | 0x80;
    unsigned >>>= 7;
  }
  buffer[at++] = unsigned;
  return at;
}

/** UTF-8 length without a native call for the usual all-ASCII header. */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text);
  }
  return text.length;
}

/** Writes `text` whose UTF-8 length is `length`; all ASCII exactly when the lengths agree. */
function writeText(buffer: Buffer, at: number, text: string, length: number): number {
  if (length !== text.length) return at + buffer.write(text, at);
  for (let i = 0; i < length; i++) buffer[at + i] = text.charCodeAt(i);
  return at + length;
}

/**
 * Copies `bytes` in at `at` (the buffer is sized for them): a byte loop for a short key, the typed
 * array copy for the rest; Buffer.copy's argument checks cost more than either, twice a record.
 */
function writeBytes(buffer: Buffer, at: number, bytes: Uint8Array): number {
  const length = bytes.length;
  if (length <= 16) {
    for (let i = 0; i < length; i++) buffer[at + i] = bytes[i] as number;
  } else {
    buffer.set(bytes, at);
  }
  return at + length;
}

/** Encodes header entries once, for `BatchRecord.encodedHeaders` of many records. */
export function encodeHeaders(headers: Readonly<Record<string, string>>): EncodedHeaders {
  let size = 0;
  let count = 0;
  for (const name in headers) {
    const nameLength = utf8Length(name);
    const valueLength = utf8Length(headers[name] as string);
    size += sizeOfVarint(nameLength) + nameLength + sizeOfVarint(valueLength) + valueLength;
    count += 1;
  }
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const name in headers) {
    const value = headers[name] as string;
    const nameLength = utf8Length(name);
    const valueLength = utf8Length(value);
    at = writeText(bytes, writeVarint(bytes, at, nameLength), name, nameLength);
    at = writeText(bytes, writeVarint(bytes, at, valueLength), value, valueLength);
  }
  return { count, bytes };
}

/**
 * Encodes one Kafka RecordBatch (magic 2, uncompressed, CreateTime, idempotent, not transactional)
 * into a single buffer sized up front: two passes over the records, no intermediate buffers, no
 * native call per header for ASCII text. kafkajs allocates several buffers per record and copies
 * each record three times, which is most of its cost per message; the bytes here are the same
 * (test/record-batch.test.ts checks it).
 */
export function encodeRecordBatch(
  records: readonly BatchRecord[],
  producer: BatchProducer,
  timestamp: number,
  partitionLeaderEpoch = -1,
): Buffer {
  // Pass 1, per record: [header count, body size, then name and value UTF-8 length per header].
  const lengths: number[] = [];
  let total = BATCH_HEADER_BYTES;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as BatchRecord;
    const slot = lengths.length;
    lengths.push(0, 0);
    let body = 1 + 1 + sizeOfVarint(i); // attributes, timestampDelta 0, offsetDelta
    body += sizeOfVarint(record.key.length) + record.key.length;
    body += sizeOfVarint(record.value.length) + record.value.length;
    const encoded = record.encodedHeaders;
    let count = encoded === undefined ? 0 : encoded.count;
    if (encoded !== undefined) body += encoded.bytes.length;
    for (const name in record.headers) {
      const nameLength = utf8Length(name);
      const valueLength = utf8Length(record.headers[name] as string);
      lengths.push(nameLength, valueLength);
      body += sizeOfVarint(nameLength) + nameLength + sizeOfVarint(valueLength) + valueLength;
      count += 1;
    }
    body += sizeOfVarint(count);
    lengths[slot] = count;
    lengths[slot + 1] = body;
    total += sizeOfVarint(body) + body;
  }

  const buffer = Buffer.allocUnsafe(total);
  buffer.writeBigInt64BE(0n, 0); // baseOffset: the broker assigns offsets
  buffer.writeInt32BE(total - 12, 8); // batchLength: bytes after this field
  buffer.writeInt32BE(partitionLeaderEpoch, 12);
  buffer.writeInt8(2, 16); // magic
  buffer.writeInt16BE(0, 21); // attributes: no compression, CreateTime, not transactional
  buffer.writeInt32BE(records.length - 1, 23); // lastOffsetDelta
  buffer.writeBigInt64BE(BigInt(timestamp), 27); // baseTimestamp
  buffer.writeBigInt64BE(BigInt(timestamp), 35); // maxTimestamp
  buffer.writeBigInt64BE(producer.producerId, 43);
  buffer.writeInt16BE(producer.producerEpoch, 51);
  buffer.writeInt32BE(producer.baseSequence, 53);
  buffer.writeInt32BE(records.length, 57);

  // Pass 2: the records, reading pass 1's lengths in the same order.
  let at = BATCH_HEADER_BYTES;
  let cursor = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as BatchRecord;
    const count = lengths[cursor++] as number;
    at = writeVarint(buffer, at, lengths[cursor++] as number);
    buffer[at++] = 0; // attributes
    buffer[at++] = 0; // timestampDelta (zigzag 0)
    at = writeVarint(buffer, at, i);
    at = writeVarint(buffer, at, record.key.length);
    at = writeBytes(buffer, at, record.key);
    at = writeVarint(buffer, at, record.value.length);
    at = writeBytes(buffer, at, record.value);
    at = writeVarint(buffer, at, count);
    const encoded = record.encodedHeaders;
    if (encoded !== undefined) at = writeBytes(buffer, at, encoded.bytes);
    for (const name in record.headers) {
      const nameLength = lengths[cursor++] as number;
      const valueLength = lengths[cursor++] as number;
      at = writeVarint(buffer, at, nameLength);
      at = writeText(buffer, at, name, nameLength);
      at = writeVarint(buffer, at, valueLength);
      at = writeText(buffer, at, record.headers[name] as string, valueLength);
    }
  }
  buffer.writeUInt32BE(crc32c(buffer, CRC_START, total), 17);
  return buffer;
}
