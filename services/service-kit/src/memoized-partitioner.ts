import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/** Bound of the memo; a territory has thousands of devices, so it rarely starts over. */
const MAX_KEYS = 100_000;

/**
 * kafkajs's default partitioner (murmur2 of the key, as the Java client), remembered per key.
 * Device ids repeat all day long and hashing one again costs about 2 µs a message, a tenth of a
 * consumer's budget per reading. The partition of a key depends only on the key and the partition
 * count, so the memo is keyed by both and gives exactly the default's answer.
 */
export const memoizedDefaultPartitioner: ICustomPartitioner = () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const memo = new Map<string, number>();
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    if (message.partition != null || typeof message.key !== 'string') return partitioner(args);
    const memoKey = `${topic}\u0000${partitionMetadata.length}\u0000${message.key}`;
    let partition = memo.get(memoKey);
    if (partition === undefined) {
      partition = partitioner(args);
      if (memo.size >= MAX_KEYS) memo.clear();
      memo.set(memoKey, partition);
    }
    return partition;
  };
};
