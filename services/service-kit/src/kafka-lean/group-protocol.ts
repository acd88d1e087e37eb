/**
 * The consumer-group requests of the lean consumer, in the newest non-flexible versions, which
 * every broker from Kafka 2.4 to 4.x serves: FindCoordinator v2, JoinGroup v5, SyncGroup v3,
 * Heartbeat v3, LeaveGroup v3, OffsetFetch v5, OffsetCommit v7; and the "consumer" protocol's
 * member metadata and assignment (version 0, as kafkajs and the Java client write them).
 * Field layouts: https://kafka.apache.org/protocol#protocol_messages
 */
import { appendTo } from './append-to.js';
import { type Reader, Writer } from './protocol.js';

export const GROUP_API = Object.freeze({
  offsetCommit: { key: 8, version: 7 },
  offsetFetch: { key: 9, version: 5 },
  findCoordinator: { key: 10, version: 2 },
  joinGroup: { key: 11, version: 5 },
  heartbeat: { key: 12, version: 3 },
  leaveGroup: { key: 13, version: 3 },
  syncGroup: { key: 14, version: 3 },
} as const);

export function encodeFindCoordinatorRequest(groupId: string): Buffer {
  return new Writer().string(groupId).int8(0).done();
}

export interface Coordinator {
  readonly errorCode: number;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export function decodeFindCoordinator(reader: Reader): Coordinator {
  reader.int32(); // throttle_time_ms
  const errorCode = reader.int16();
  reader.string(); // error_message
  return { errorCode, nodeId: reader.int32(), host: reader.string() ?? '', port: reader.int32() };
}

export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly memberId: string;
  readonly protocolName: string;
  readonly metadata: Buffer;
}

export function encodeJoinGroupRequest(request: JoinGroupRequest): Buffer {
  return new Writer()
    .string(request.groupId)
    .int32(request.sessionTimeoutMs)
    .int32(request.rebalanceTimeoutMs)
    .string(request.memberId)
    .string(null) // group_instance_id: dynamic membership
    .string('consumer')
    .int32(1)
    .string(request.protocolName)
    .bytes(request.metadata)
    .done();
}

export interface JoinGroupResponse {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly metadata: Buffer }>;
}

export function decodeJoinGroup(reader: Reader): JoinGroupResponse {
  reader.int32(); // throttle_time_ms
  const errorCode = reader.int16();
  const generationId = reader.int32();
  const protocolName = reader.string() ?? '';
  const leader = reader.string() ?? '';
  const memberId = reader.string() ?? '';
  const members = reader.array((r) => {
    const id = r.string() ?? '';
    r.string(); // group_instance_id
    return { memberId: id, metadata: Buffer.from(r.bytes() ?? Buffer.alloc(0)) };
  });
  return { errorCode, generationId, protocolName, leader, memberId, members };
}

export interface GroupMember {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
}

export function encodeSyncGroupRequest(
  member: GroupMember,
  assignments: ReadonlyMap<string, Buffer>,
): Buffer {
  const writer = new Writer()
    .string(member.groupId)
    .int32(member.generationId)
    .string(member.memberId)
    .string(null)
    .int32(assignments.size);
  for (const [memberId, assignment] of assignments) writer.string(memberId).bytes(assignment);
  return writer.done();
}

export function decodeSyncGroup(reader: Reader): { errorCode: number; assignment: Buffer } {
  reader.int32(); // throttle_time_ms
  const errorCode = reader.int16();
  return { errorCode, assignment: Buffer.from(reader.bytes() ?? Buffer.alloc(0)) };
}

export function encodeHeartbeatRequest(member: GroupMember): Buffer {
  return new Writer()
    .string(member.groupId)
    .int32(member.generationId)
    .string(member.memberId)
    .string(null)
    .done();
}

/** Heartbeat, LeaveGroup and the like: throttle time, then the error code. */
export function decodeErrorCode(reader: Reader): number {
  reader.int32(); // throttle_time_ms
  return reader.int16();
}

export function encodeLeaveGroupRequest(groupId: string, memberId: string): Buffer {
  return new Writer().string(groupId).int32(1).string(memberId).string(null).done();
}

export type TopicPartitions = ReadonlyMap<string, readonly number[]>;

export function encodeOffsetFetchRequest(groupId: string, partitions: TopicPartitions): Buffer {
  const writer = new Writer().string(groupId).int32(partitions.size);
  for (const [topic, indexes] of partitions) {
    writer.string(topic).int32(indexes.length);
    for (const index of indexes) writer.int32(index);
  }
  return writer.done();
}

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1: nothing committed. */
  readonly offset: number;
  readonly errorCode: number;
}

export function decodeOffsetFetch(reader: Reader): { errorCode: number; offsets: CommittedOffset[] } {
  reader.int32(); // throttle_time_ms
  const offsets: CommittedOffset[] = [];
  reader.array((r) => {
    const topic = r.string() ?? '';
    r.array((p) => {
      const partition = p.int32();
      const offset = Number(p.int64());
      p.int32(); // committed_leader_epoch
      p.string(); // metadata
      offsets.push({ topic, partition, offset, errorCode: p.int16() });
    });
  });
  return { errorCode: reader.int16(), offsets };
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
}

export function encodeOffsetCommitRequest(member: GroupMember, offsets: readonly OffsetToCommit[]): Buffer {
  const byTopic = new Map<string, OffsetToCommit[]>();
  for (const offset of offsets) {
    appendTo(byTopic, offset.topic, offset);
  }
  const writer = new Writer()
    .string(member.groupId)
    .int32(member.generationId)
    .string(member.memberId)
    .string(null)
    .int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    writer.string(topic).int32(list.length);
    for (const { partition, offset } of list) writer.int32(partition).int64(offset).int32(-1).string(null);
  }
  return writer.done();
}

export function decodeOffsetCommit(
  reader: Reader,
): Array<{ topic: string; partition: number; errorCode: number }> {
  reader.int32(); // throttle_time_ms
  const results: Array<{ topic: string; partition: number; errorCode: number }> = [];
  reader.array((r) => {
    const topic = r.string() ?? '';
    r.array((p) => results.push({ topic, partition: p.int32(), errorCode: p.int16() }));
  });
  return results;
}

/** ConsumerProtocolSubscription v0: the topics this member wants. */
export function encodeSubscription(topics: readonly string[]): Buffer {
  const writer = new Writer().int16(0).int32(topics.length);
  for (const topic of topics) writer.string(topic);
  return writer.bytes(null).done();
}

export function decodeSubscription(reader: Reader): string[] {
  reader.int16(); // version
  return reader.array((r) => r.string() ?? '');
}

/** ConsumerProtocolAssignment v0: the partitions of each topic given to one member. */
export function encodeAssignment(partitions: TopicPartitions): Buffer {
  const writer = new Writer().int16(0).int32(partitions.size);
  for (const [topic, indexes] of partitions) {
    writer.string(topic).int32(indexes.length);
    for (const index of indexes) writer.int32(index);
  }
  return writer.bytes(null).done();
}

export function decodeAssignment(reader: Reader): Map<string, number[]> {
  const assignment = new Map<string, number[]>();
  reader.int16(); // version
  for (const { topic, partitions } of reader.array((r) => ({
    topic: r.string() ?? '',
    partitions: r.array((p) => p.int32()),
  }))) {
    assignment.set(topic, partitions);
  }
  return assignment;
}
