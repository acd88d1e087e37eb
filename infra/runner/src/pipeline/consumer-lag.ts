import type { Admin } from 'kafkajs';

/** Messages not yet committed by a consumer group, summed over the partitions of its topics. */
export async function consumerGroupLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<number> {
  let lag = 0;
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    const endOf = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
    const startOf = new Map(ends.map((e) => [e.partition, BigInt(e.low)]));
    for (const p of partitions) {
      const end = endOf.get(p.partition) ?? 0n;
      // -1 means nothing committed yet: the whole retained log is lag.
      const offset = p.offset === '-1' ? (startOf.get(p.partition) ?? 0n) : BigInt(p.offset);
      if (end > offset) lag += Number(end - offset);
    }
  }
  return lag;
}
