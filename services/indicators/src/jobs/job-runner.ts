import type { Logger } from '@terrapulse/service-kit';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IndicatorsMetrics } from '../metrics.js';
import { isJobName, JOB_CATALOGUE, type JobData, type JobName } from './job-catalogue.js';

export type JobHandlers = { readonly [N in JobName]: (data: JobData<N>) => Promise<number> };

export interface JobRunnerOptions {
  readonly queueName: string;
  /** ioredis connection with maxRetriesPerRequest: null (BullMQ's workers block on Redis). */
  readonly connection: Redis;
  /** Period of each repeatable job, ms. */
  readonly every: Readonly<Record<JobName, number>>;
  readonly handlers: JobHandlers;
  readonly metrics: IndicatorsMetrics;
  readonly logger: Logger;
}

/**
 * The scheduled jobs on one BullMQ queue. Job schedulers (upserted by every instance, stored once
 * in Redis) make each period run once however many instances share the queue; a failed job is
 * retried a few times with backoff, and the next period recomputes anyway.
 */
export class JobRunner {
  readonly #queue: Queue;
  #worker: Worker | undefined;
  readonly #options: JobRunnerOptions;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
    this.#queue = new Queue(options.queueName, { connection: options.connection });
  }

  async start(): Promise<void> {
    const { every, queueName, connection, logger } = this.#options;
    for (const name of Object.keys(every) as JobName[]) {
      await this.#queue.upsertJobScheduler(
        name,
        { every: every[name] },
        {
          name,
          data: {},
          opts: {
            attempts: 3,
            backoff: { type: 'exponential', delay: 2_000 },
            removeOnComplete: 100,
            removeOnFail: 500,
          },
        },
      );
    }
    this.#worker = new Worker(queueName, (job) => this.#run(job), { connection, concurrency: 1 });
    this.#worker.on('failed', (job, error) =>
      logger.warn('job failed', { job: job?.name, attempt: job?.attemptsMade, error }),
    );
    this.#worker.on('error', (error) => logger.error('job worker error', { error }));
    await this.#worker.waitUntilReady();
    logger.info('jobs scheduled', { queue: queueName, every });
  }

  /** Adds one job now (CLI, tests), outside the schedule. */
  async enqueue<N extends JobName>(name: N, data: JobData<N>): Promise<string | undefined> {
    return (await this.#queue.add(name, data, { removeOnComplete: 100, removeOnFail: 500 })).id;
  }

  isRunning(): boolean {
    return this.#worker?.isRunning() ?? false;
  }

  /** Stops taking jobs, waits for the one in flight, closes the queue. */
  async stop(): Promise<void> {
    await this.#worker?.close();
    await this.#queue.close();
  }

  async #run(job: Job): Promise<number> {
    const { handlers, metrics } = this.#options;
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
    const parsed = JOB_CATALOGUE[job.name].safeParse(job.data);
    if (!parsed.success) {
      metrics.jobs.inc({ job: job.name, outcome: 'invalid' });
      throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.message}`);
    }
    const timer = metrics.jobDuration.startTimer({ job: job.name });
    try {
      const handler = handlers[job.name] as (data: unknown) => Promise<number>;
      const points = await handler(parsed.data);
      metrics.jobs.inc({ job: job.name, outcome: 'ok' });
      metrics.pointsWritten.inc({ job: job.name }, points);
      metrics.lastSuccess.set({ job: job.name }, Date.now() / 1000);
      return points;
    } catch (error) {
      metrics.jobs.inc({ job: job.name, outcome: 'failed' });
      throw error;
    } finally {
      timer();
    }
  }
}
