import { appendTo } from './append-to.js';

export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/**
 * The group leader's assignment, kafkajs's RoundRobinAssigner's rule (so lean and kafkajs members
 * can share a group during a switch): members sorted by id, every partition of every topic in
 * topic order dealt in turn to the next member subscribed to that topic.
 */
export function assignRoundRobin(
  members: readonly MemberSubscription[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Map<string, number[]>> {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const assignment = new Map<string, Map<string, number[]>>(sorted.map((m) => [m.memberId, new Map()]));
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  let turn = 0;
  for (const topic of topics) {
    const subscribed = sorted.filter((m) => m.topics.includes(topic));
    const count = partitionCounts.get(topic) ?? 0;
    if (subscribed.length === 0) continue;
    for (let partition = 0; partition < count; partition++) {
      const member = subscribed[turn % subscribed.length] as MemberSubscription;
      turn++;
      const topicsOfMember = assignment.get(member.memberId) as Map<string, number[]>;
      appendTo(topicsOfMember, topic, partition);
    }
  }
  return assignment;
}
