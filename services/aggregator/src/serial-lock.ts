/**
 * Runs async sections one at a time, in call order. The aggregator's batches, timer flushes,
 * checkpoints and shutdown all touch the same window stores and outbox; serializing them keeps
 * the one invariant that matters simple: a checkpoint sees the state right after a flush, with
 * no reading applied in between.
 */
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(section);
    // The next section waits for this one to settle, whether it succeeded or not.
    this.#tail = result.catch(() => {});
    return result;
  }
}
