import { type Processor, Queue, QueueEvents, Worker, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** The registry's queues; names are fixed, isolation comes from the BullMQ prefix. */
export type RegistryQueueName = 'provision' | 'import' | 'activation' | 'silence';

/**
 * Creates BullMQ queues, workers and event listeners on the registry's Redis under its key prefix
 * (tests get a unique prefix, so their queues never meet), and closes all of them at once.
 */
export interface QueueFactory {
  readonly prefix: string;
  queue<D = unknown, R = unknown>(name: RegistryQueueName): Queue<D, R>;
  worker<D = unknown, R = unknown>(
    name: RegistryQueueName,
    processor: Processor<D, R>,
    options?: Omit<WorkerOptions, 'connection' | 'prefix'>,
  ): Worker<D, R>;
  events(name: RegistryQueueName): QueueEvents;
  /** Workers first (they finish their current job), then queues and listeners. */
  close(): Promise<void>;
}

export function createQueueFactory(options: { redisUrl: string; prefix: string }): QueueFactory {
  // BullMQ blocks on its connections; they must not give up on a request.
  const connect = (): Redis => new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const workers: Worker[] = [];
  const others: Array<Queue | QueueEvents> = [];
  const connections: Redis[] = [];
  const conn = (): Redis => {
    const c = connect();
    connections.push(c);
    return c;
  };
  const queues = new Map<string, Queue>();
  return {
    prefix: options.prefix,
    queue<D, R>(name: RegistryQueueName) {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection: conn(), prefix: options.prefix });
        queues.set(name, q);
        others.push(q);
      }
      return q as unknown as Queue<D, R>;
    },
    worker(name, processor, workerOptions = {}) {
      const w = new Worker(name, processor, { ...workerOptions, connection: conn(), prefix: options.prefix });
      workers.push(w as Worker);
      return w;
    },
    events(name) {
      const e = new QueueEvents(name, { connection: conn(), prefix: options.prefix });
      others.push(e);
      return e;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(others.map((o) => o.close()));
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
