import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnvironment, uniqueName } from '../support/environment.js';

const env = testEnvironment();
// BullMQ workers block on Redis; they need retries per request disabled.
const connection = (): Redis => new Redis(env.redisUrl, { maxRetriesPerRequest: null });

describe('Redis through BullMQ', () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
  });

  it('runs a job that fails, is retried with backoff and completes', async () => {
    const name = uniqueName('it-queue');
    const queue = new Queue(name, { connection: connection() });
    const events = new QueueEvents(name, { connection: connection() });
    opened.push(queue, events);
    await events.waitUntilReady();

    const attempts: number[] = [];
    const worker = new Worker(
      name,
      async (job) => {
        attempts.push(job.attemptsMade);
        if (job.attemptsMade < 2) throw new Error(`transient failure ${job.attemptsMade}`);
        return { provisioned: job.data.deviceId };
      },
      { connection: connection() },
    );
    opened.push(worker);

    const job = await queue.add(
      'provision',
      { deviceId: 'meter-1' },
      { attempts: 4, backoff: { type: 'fixed', delay: 100 } },
    );
    const result = await job.waitUntilFinished(events, 15_000);

    expect(result).toEqual({ provisioned: 'meter-1' });
    expect(attempts).toEqual([0, 1, 2]);
    const finished = await queue.getJob(job.id ?? '');
    expect(finished?.attemptsMade).toBe(3);
    expect(finished?.failedReason).toMatch(/transient failure 1/);
  });

  it('refuses a client without the password', async () => {
    const url = new URL(env.redisUrl);
    const anonymous = new Redis({
      host: url.hostname,
      port: Number(url.port),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    anonymous.on('error', () => {});
    await anonymous.connect().catch(() => undefined);
    await expect(anonymous.set('intrusion', '1')).rejects.toThrow(/NOAUTH|auth/i);
    anonymous.disconnect();
  });
});
