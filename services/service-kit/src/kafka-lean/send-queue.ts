interface Queued<T> {
  readonly item: T;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs one send at a time; what is pushed meanwhile waits, then goes out with the other waiting
 * items in one call of `run` (up to `maxMergeBytes`, at least one item). Merging is what keeps the
 * request count low when several partitions' handlers send at once; running one at a time is what
 * keeps a single request in flight per partition, as idempotent sequence numbers require.
 */
export class SendQueue<T> {
  private readonly waiting: Queued<T>[] = [];
  private running = false;
  private closedWith: Error | undefined;

  constructor(
    private readonly maxMergeBytes: number,
    private readonly run: (items: T[]) => Promise<void>,
  ) {}

  push(item: T, bytes: number): Promise<void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, bytes, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Fails what waits; the call in flight settles on its own. */
  close(error: Error): void {
    this.closedWith = error;
    for (const queued of this.waiting.splice(0)) queued.reject(error);
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      let bytes = 0;
      let count = 0;
      for (const queued of this.waiting) {
        if (count > 0 && bytes + queued.bytes > this.maxMergeBytes) break;
        bytes += queued.bytes;
        count += 1;
      }
      const group = this.waiting.splice(0, count);
      try {
        await this.run(group.map((queued) => queued.item));
        for (const queued of group) queued.resolve();
      } catch (error) {
        for (const queued of group) queued.reject(error);
      }
    }
    this.running = false;
  }
}
