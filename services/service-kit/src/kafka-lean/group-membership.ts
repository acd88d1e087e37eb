import type { Logger } from '../logger.js';
import { BrokerConnection } from './broker-connection.js';
import type { BrokerPool } from './broker-pool.js';
import {
  type CommittedOffset,
  decodeAssignment,
  decodeErrorCode,
  decodeFindCoordinator,
  decodeJoinGroup,
  decodeOffsetCommit,
  decodeOffsetFetch,
  decodeSubscription,
  decodeSyncGroup,
  encodeAssignment,
  encodeFindCoordinatorRequest,
  encodeHeartbeatRequest,
  encodeJoinGroupRequest,
  encodeLeaveGroupRequest,
  encodeOffsetCommitRequest,
  encodeOffsetFetchRequest,
  encodeSubscription,
  encodeSyncGroupRequest,
  GROUP_API,
  type GroupMember,
  type OffsetToCommit,
  type TopicPartitions,
} from './group-protocol.js';
import { isCoordinatorError, isRejoinError, KafkaErrorCode } from './kafka-error-codes.js';
import { KafkaGroupError } from './kafka-group-error.js';
import { Reader } from './protocol.js';
import { assignRoundRobin } from './round-robin-assignment.js';

export interface GroupMembershipOptions {
  readonly groupId: string;
  readonly clientId: string;
  readonly topics: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
}

/** kafkajs's assigner name: members of both clients can share a group. */
const PROTOCOL_NAME = 'RoundRobinAssigner';

export interface Generation extends GroupMember {
  readonly assignment: Map<string, number[]>;
}

/**
 * One member of a consumer group, talking to the group's coordinator on a connection of its own
 * (a JoinGroup blocks its connection until every member rejoined, which must not hold up fetches).
 */
export class GroupMembership {
  private coordinator: BrokerConnection | undefined;
  private memberId = '';
  private current: Generation | undefined;

  constructor(
    private readonly pool: BrokerPool,
    private readonly options: GroupMembershipOptions,
  ) {}

  get generation(): Generation | undefined {
    return this.current;
  }

  /** Joins (or rejoins) the group; the leader assigns the partitions. Resolves with this member's share. */
  async join(): Promise<Generation> {
    this.current = undefined;
    const { groupId, sessionTimeoutMs, rebalanceTimeoutMs } = this.options;
    for (;;) {
      const joined = decodeJoinGroup(
        await this.request(
          GROUP_API.joinGroup,
          encodeJoinGroupRequest({
            groupId,
            sessionTimeoutMs,
            rebalanceTimeoutMs,
            memberId: this.memberId,
            protocolName: PROTOCOL_NAME,
            metadata: encodeSubscription(this.options.topics),
          }),
          rebalanceTimeoutMs + 5_000,
        ),
      );
      if (joined.errorCode === KafkaErrorCode.MEMBER_ID_REQUIRED) {
        this.memberId = joined.memberId;
        continue;
      }
      if (joined.errorCode === KafkaErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
      this.check(joined.errorCode, 'JoinGroup');
      this.memberId = joined.memberId;
      const member = { groupId, generationId: joined.generationId, memberId: joined.memberId };
      const assignments =
        joined.leader === joined.memberId ? await this.assign(joined.members) : new Map<string, Buffer>();
      const synced = decodeSyncGroup(
        await this.request(
          GROUP_API.syncGroup,
          encodeSyncGroupRequest(member, assignments),
          rebalanceTimeoutMs + 5_000,
        ),
      );
      this.check(synced.errorCode, 'SyncGroup');
      const assignment =
        synced.assignment.length === 0
          ? new Map<string, number[]>()
          : decodeAssignment(new Reader(synced.assignment));
      this.current = { ...member, assignment };
      return this.current;
    }
  }

  /** Throws a KafkaGroupError when this generation is over (the group rebalances). */
  async heartbeat(): Promise<void> {
    const member = this.requireGeneration('Heartbeat');
    this.check(
      decodeErrorCode(await this.request(GROUP_API.heartbeat, encodeHeartbeatRequest(member))),
      'Heartbeat',
    );
  }

  /** The committed position of each partition; -1 where nothing is committed. */
  async committed(partitions: TopicPartitions): Promise<CommittedOffset[]> {
    const fetched = decodeOffsetFetch(
      await this.request(GROUP_API.offsetFetch, encodeOffsetFetchRequest(this.options.groupId, partitions)),
    );
    this.check(fetched.errorCode, 'OffsetFetch');
    for (const offset of fetched.offsets)
      this.check(offset.errorCode, `OffsetFetch ${offset.topic}/${offset.partition}`);
    return fetched.offsets;
  }

  /** Commits under the current generation: refused (KafkaGroupError) once the group rebalanced. */
  async commit(offsets: readonly OffsetToCommit[]): Promise<void> {
    if (offsets.length === 0) return;
    const member = this.requireGeneration('OffsetCommit');
    const results = decodeOffsetCommit(
      await this.request(GROUP_API.offsetCommit, encodeOffsetCommitRequest(member, offsets)),
    );
    for (const result of results)
      this.check(result.errorCode, `OffsetCommit ${result.topic}/${result.partition}`);
  }

  /** Leaves at once, so the partitions move without waiting for the session timeout. */
  async leave(): Promise<void> {
    const memberId = this.memberId;
    this.current = undefined;
    this.memberId = '';
    if (memberId === '' || this.coordinator?.alive !== true) return;
    try {
      await this.request(
        GROUP_API.leaveGroup,
        encodeLeaveGroupRequest(this.options.groupId, memberId),
        5_000,
      );
    } catch (error) {
      this.options.logger.debug('leaving the consumer group failed', { error });
    }
  }

  /** Forgets the generation (and, after a fatal error, the member id): the next join starts afresh. */
  reset(forgetMemberId: boolean): void {
    this.current = undefined;
    if (forgetMemberId) this.memberId = '';
  }

  close(): void {
    this.coordinator?.close();
    this.coordinator = undefined;
  }

  private async assign(
    members: ReadonlyArray<{ memberId: string; metadata: Buffer }>,
  ): Promise<Map<string, Buffer>> {
    const subscriptions = members.map((m) => ({
      memberId: m.memberId,
      topics: decodeSubscription(new Reader(m.metadata)),
    }));
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
    const leaders = await this.pool.leadersOf(topics);
    const counts = new Map(topics.map((topic) => [topic, leaders.get(topic)?.length ?? 0]));
    const assignment = assignRoundRobin(subscriptions, counts);
    this.options.logger.info('assigned the group partitions', {
      members: Object.fromEntries([...assignment].map(([id, t]) => [id, Object.fromEntries(t)])),
    });
    return new Map([...assignment].map(([memberId, partitions]) => [memberId, encodeAssignment(partitions)]));
  }

  private requireGeneration(what: string): Generation {
    if (this.current === undefined) throw new KafkaGroupError(KafkaErrorCode.REBALANCE_IN_PROGRESS, what);
    return this.current;
  }

  private check(code: number, context: string): void {
    if (code === KafkaErrorCode.NONE) return;
    if (isCoordinatorError(code)) {
      this.coordinator?.close();
      this.coordinator = undefined;
    }
    if (isRejoinError(code)) this.current = undefined;
    throw new KafkaGroupError(code, context);
  }

  private async request(
    api: { readonly key: number; readonly version: number },
    body: Buffer,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<Reader> {
    const connection = await this.coordinatorConnection();
    return connection.request(api, [body], timeoutMs);
  }

  private async coordinatorConnection(): Promise<BrokerConnection> {
    if (this.coordinator?.alive) return this.coordinator;
    const any = await this.pool.anyConnection();
    const found = decodeFindCoordinator(
      await any.request(
        GROUP_API.findCoordinator,
        [encodeFindCoordinatorRequest(this.options.groupId)],
        this.options.requestTimeoutMs,
      ),
    );
    if (found.errorCode !== KafkaErrorCode.NONE)
      throw new KafkaGroupError(found.errorCode, 'FindCoordinator');
    this.coordinator = await BrokerConnection.open(found.host, found.port, this.options.clientId, 10_000);
    return this.coordinator;
  }
}
