/**
 * Fetch v11 (no fetch session: every request names its partitions) and ListOffsets v5, the
 * newest non-flexible versions, served by every broker from Kafka 2.3 to 4.x.
 * Field layouts: https://kafka.apache.org/protocol#protocol_messages
 */
import { appendTo } from './append-to.js';
import type { TopicPartitions } from './group-protocol.js';
import { type Reader, Writer } from './protocol.js';

export const FETCH_API = Object.freeze({
  fetch: { key: 1, version: 11 },
  listOffsets: { key: 2, version: 5 },
} as const);

export interface FetchPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly maxBytesPerPartition: number;
  readonly positions: readonly FetchPosition[];
}

export function encodeFetchRequest(request: FetchRequest): Buffer {
  const byTopic = new Map<string, FetchPosition[]>();
  for (const position of request.positions) {
    appendTo(byTopic, position.topic, position);
  }
  const writer = new Writer()
    .int32(-1) // replica_id: a consumer
    .int32(request.maxWaitMs)
    .int32(request.minBytes)
    .int32(request.maxBytes)
    .int8(0) // isolation_level: read uncommitted (no transactions here)
    .int32(0) // session_id
    .int32(-1) // session_epoch: full fetch, no session
    .int32(byTopic.size);
  for (const [topic, positions] of byTopic) {
    writer.string(topic).int32(positions.length);
    for (const { partition, offset } of positions) {
      writer.int32(partition).int32(-1).int64(offset).int64(-1).int32(request.maxBytesPerPartition);
    }
  }
  return writer.int32(0).string('').done(); // forgotten_topics_data, rack_id
}

export interface FetchedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  /** Record batches as the broker sent them; the last one may be cut short. */
  readonly records: Buffer | null;
}

export function decodeFetchResponse(reader: Reader): { errorCode: number; partitions: FetchedPartition[] } {
  reader.int32(); // throttle_time_ms
  const errorCode = reader.int16();
  reader.int32(); // session_id
  const partitions: FetchedPartition[] = [];
  reader.array((r) => {
    const topic = r.string() ?? '';
    r.array((p) => {
      const partition = p.int32();
      const partitionError = p.int16();
      const highWatermark = Number(p.int64());
      p.int64(); // last_stable_offset
      p.int64(); // log_start_offset
      p.array((a) => [a.int64(), a.int64()]); // aborted_transactions
      p.int32(); // preferred_read_replica
      partitions.push({ topic, partition, errorCode: partitionError, highWatermark, records: p.bytes() });
    });
  });
  return { errorCode, partitions };
}

export const EARLIEST = -2;
export const LATEST = -1;

export function encodeListOffsetsRequest(partitions: TopicPartitions, timestamp: number): Buffer {
  const writer = new Writer().int32(-1).int8(0).int32(partitions.size);
  for (const [topic, indexes] of partitions) {
    writer.string(topic).int32(indexes.length);
    for (const index of indexes) writer.int32(index).int32(-1).int64(timestamp);
  }
  return writer.done();
}

export function decodeListOffsets(
  reader: Reader,
): Array<{ topic: string; partition: number; errorCode: number; offset: number }> {
  reader.int32(); // throttle_time_ms
  const results: Array<{ topic: string; partition: number; errorCode: number; offset: number }> = [];
  reader.array((r) => {
    const topic = r.string() ?? '';
    r.array((p) => {
      const partition = p.int32();
      const errorCode = p.int16();
      p.int64(); // timestamp
      const offset = Number(p.int64());
      p.int32(); // leader_epoch
      results.push({ topic, partition, errorCode, offset });
    });
  });
  return results;
}
