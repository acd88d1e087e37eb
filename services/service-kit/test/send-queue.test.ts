import { describe, expect, it } from 'vitest';
import { SendQueue } from '../src/kafka-lean/send-queue.js';

describe('SendQueue', () => {
  it('should run one call at a time and merge what waits, in order, up to the byte bound', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const queue = new SendQueue<number>(100, async (items) => {
      calls.push(items);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const sent = [
      queue.push(1, 10),
      queue.push(2, 40),
      queue.push(3, 40),
      queue.push(4, 40),
      queue.push(5, 500),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([[1]]);
    for (let i = 0; i < 4; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(sent);
    // 2+3 fit in 100 bytes, 4 does not join them; 5 alone exceeds the bound but still goes out.
    expect(calls).toEqual([[1], [2, 3], [4], [5]]);
  });

  it('should fail every item of a failed call, and only those', async () => {
    let fail = true;
    const queue = new SendQueue<string>(1_000, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) {
        fail = false;
        throw new Error('broker gone');
      }
    });
    const first = queue.push('a', 1);
    const merged = [queue.push('b', 1), queue.push('c', 1)];
    await expect(first).rejects.toThrow('broker gone');
    await expect(Promise.all(merged)).resolves.toBeDefined();
  });

  it('should refuse new items and fail the waiting ones once closed', async () => {
    const queue = new SendQueue<string>(1_000, () => new Promise((resolve) => setTimeout(resolve, 20)));
    const inFlight = queue.push('a', 1);
    const waiting = queue.push('b', 1);
    queue.close(new Error('closed'));
    await expect(waiting).rejects.toThrow('closed');
    await expect(queue.push('c', 1)).rejects.toThrow('closed');
    await expect(inFlight).resolves.toBeUndefined();
  });
});
