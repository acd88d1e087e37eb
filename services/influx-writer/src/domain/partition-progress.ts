/**
 * Which offsets of each partition may be resolved. Chunks of a partition (one per Kafka batch)
 * are written in any order, but an offset is resolved only when it and everything before it is
 * durable: a chunk finished ahead of an older one waits for it.
 */

export interface PendingChunk {
  readonly partitionKey: string;
  readonly lastOffset: string;
  /** Set by `complete`. */
  done: boolean;
  /** Set when the partition was revoked or the tracker cleared: completing it resolves nothing. */
  abandoned: boolean;
}

export class PartitionProgress {
  readonly #queues = new Map<string, PendingChunk[]>();

  /** Registers a chunk, in the partition's offset order. */
  add(partitionKey: string, lastOffset: string): PendingChunk {
    const chunk: PendingChunk = { partitionKey, lastOffset, done: false, abandoned: false };
    const queue = this.#queues.get(partitionKey);
    if (queue === undefined) this.#queues.set(partitionKey, [chunk]);
    else queue.push(chunk);
    return chunk;
  }

  /**
   * Marks a chunk durable and returns the last offset of the done prefix of its partition, now
   * safe to resolve, or undefined when an older chunk is still pending (or the chunk abandoned).
   */
  complete(chunk: PendingChunk): string | undefined {
    if (chunk.abandoned || chunk.done) return undefined;
    chunk.done = true;
    const queue = this.#queues.get(chunk.partitionKey);
    if (queue === undefined) return undefined;
    let resolvable: string | undefined;
    while (queue[0]?.done === true) resolvable = queue.shift()?.lastOffset;
    if (queue.length === 0) this.#queues.delete(chunk.partitionKey);
    return resolvable;
  }

  /** Chunks of the partition not yet resolvable. */
  pending(partitionKey: string): number {
    return this.#queues.get(partitionKey)?.length ?? 0;
  }

  /** Partitions with chunks pending. */
  partitionKeys(): string[] {
    return [...this.#queues.keys()];
  }

  /** Forgets a partition (revoked): its pending chunks will resolve nothing. */
  abandon(partitionKey: string): void {
    for (const chunk of this.#queues.get(partitionKey) ?? []) chunk.abandoned = true;
    this.#queues.delete(partitionKey);
  }

  abandonAll(): void {
    for (const key of this.partitionKeys()) this.abandon(key);
  }
}
