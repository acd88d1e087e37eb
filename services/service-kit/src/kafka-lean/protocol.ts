/**
 * The four Kafka requests a produce-only client needs, in non-flexible versions every broker from
 * Kafka 2.1 to 4.x serves: ApiVersions v0, Metadata v8, InitProducerId v1, Produce v8.
 * Field layouts: https://kafka.apache.org/protocol#protocol_messages
 */

export const API = Object.freeze({
  produce: { key: 0, version: 8 },
  metadata: { key: 3, version: 8 },
  apiVersions: { key: 18, version: 0 },
  initProducerId: { key: 22, version: 1 },
} as const);

/** Grows as needed; only for small requests, the record batches are encoded elsewhere. */
export class Writer {
  private buffer = Buffer.allocUnsafe(256);
  private at = 0;

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(next, 0, 0, this.at);
    this.buffer = next;
  }

  int8(value: number): this {
    this.ensure(1);
    this.at = this.buffer.writeInt8(value, this.at);
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.at = this.buffer.writeInt16BE(value, this.at);
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  int64(value: bigint | number): this {
    this.ensure(8);
    this.at = this.buffer.writeBigInt64BE(BigInt(value), this.at);
    return this;
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    this.ensure(value.length);
    this.at += value.copy(this.buffer, this.at);
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    this.ensure(length);
    this.at += this.buffer.write(value, this.at);
    return this;
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.at);
  }
}

export class Reader {
  private at = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    const value = this.buffer.readInt8(this.at);
    this.at += 1;
    return value;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.at);
    this.at += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.at);
    this.at += 4;
    return value;
  }

  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.at);
    this.at += 8;
    return value;
  }

  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return value;
  }

  /** Nullable bytes: a view into the response, not a copy. */
  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  array<T>(item: (reader: Reader) => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item(this));
    return items;
  }
}

/**
 * Size prefix and request header v1, followed by the body chunks: written to the socket as is,
 * so record batches are never copied into a request buffer.
 */
export function frameRequest(
  api: { readonly key: number; readonly version: number },
  correlationId: number,
  clientId: string,
  body: readonly Buffer[],
): Buffer[] {
  const header = new Writer()
    .int32(0)
    .int16(api.key)
    .int16(api.version)
    .int32(correlationId)
    .string(clientId)
    .done();
  const size = body.reduce((sum, chunk) => sum + chunk.length, header.length - 4);
  header.writeInt32BE(size, 0);
  return [header, ...body];
}

export interface ApiVersionRange {
  readonly key: number;
  readonly min: number;
  readonly max: number;
}

export function decodeApiVersions(reader: Reader): { errorCode: number; apis: ApiVersionRange[] } {
  const errorCode = reader.int16();
  const apis = reader.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
  return { errorCode, apis };
}

export function encodeMetadataRequest(topics: readonly string[]): Buffer {
  const writer = new Writer().int32(topics.length);
  for (const topic of topics) writer.string(topic);
  // allow_auto_topic_creation, include_cluster_authorized_operations, include_topic_authorized_operations
  return writer.int8(0).int8(0).int8(0).done();
}

export interface BrokerAddress {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface TopicMetadata {
  readonly errorCode: number;
  readonly name: string;
  readonly partitions: ReadonlyArray<{
    readonly errorCode: number;
    readonly index: number;
    readonly leader: number;
  }>;
}

export function decodeMetadata(reader: Reader): { brokers: BrokerAddress[]; topics: TopicMetadata[] } {
  reader.int32(); // throttle_time_ms
  const brokers = reader.array((r) => {
    const broker = { nodeId: r.int32(), host: r.string() ?? '', port: r.int32() };
    r.string(); // rack
    return broker;
  });
  reader.string(); // cluster_id
  reader.int32(); // controller_id
  const topics = reader.array((r) => {
    const errorCode = r.int16();
    const name = r.string() ?? '';
    r.int8(); // is_internal
    const partitions = r.array((p) => {
      const partition = { errorCode: p.int16(), index: p.int32(), leader: p.int32() };
      p.int32(); // leader_epoch
      p.array((n) => n.int32()); // replica_nodes
      p.array((n) => n.int32()); // isr_nodes
      p.array((n) => n.int32()); // offline_replicas
      return partition;
    });
    r.int32(); // topic_authorized_operations
    return { errorCode, name, partitions };
  });
  return { brokers, topics };
}

export function encodeInitProducerIdRequest(): Buffer {
  // No transactional id: an idempotent producer; the timeout is ignored without one.
  return new Writer().string(null).int32(60_000).done();
}

export function decodeInitProducerId(reader: Reader): {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
} {
  reader.int32(); // throttle_time_ms
  return { errorCode: reader.int16(), producerId: reader.int64(), producerEpoch: reader.int16() };
}

/** One partition's record batch in a produce request. */
export interface ProducePartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly batch: Buffer;
}

/**
 * Produce with acks=-1 (all in-sync replicas), any number of topics; each batch stays its own
 * chunk. Batches of a topic must be adjacent in `batches` (the caller groups them).
 */
export function encodeProduceRequest(batches: readonly ProducePartitionBatch[], timeoutMs: number): Buffer[] {
  const topics: Array<{ topic: string; from: number; to: number }> = [];
  batches.forEach((batch, index) => {
    const last = topics[topics.length - 1];
    if (last !== undefined && last.topic === batch.topic) last.to = index + 1;
    else topics.push({ topic: batch.topic, from: index, to: index + 1 });
  });
  const chunks = [new Writer().string(null).int16(-1).int32(timeoutMs).int32(topics.length).done()];
  for (const { topic, from, to } of topics) {
    chunks.push(
      new Writer()
        .string(topic)
        .int32(to - from)
        .done(),
    );
    for (let i = from; i < to; i++) {
      const { partition, batch } = batches[i] as ProducePartitionBatch;
      chunks.push(new Writer().int32(partition).int32(batch.length).done(), batch);
    }
  }
  return chunks;
}

export interface PartitionProduceResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export function decodeProduceResponse(reader: Reader): PartitionProduceResult[] {
  const results: PartitionProduceResult[] = [];
  reader.array((r) => {
    const topic = r.string() ?? '';
    r.array((p) => {
      const partition = p.int32();
      const errorCode = p.int16();
      p.int64(); // base_offset
      p.int64(); // log_append_time_ms
      p.int64(); // log_start_offset
      p.array((e) => {
        e.int32(); // batch_index
        return e.string(); // batch_index_error_message
      });
      results.push({ topic, partition, errorCode, errorMessage: p.string() });
    });
  });
  reader.int32(); // throttle_time_ms
  return results;
}
