import type { DeviceRecord } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import type { Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { applyTransition } from '../commands/apply-transition.js';
import { needsActivation } from '../domain/silence.js';
import { SYSTEM_ACTOR } from '../ports/actor.js';
import type { DeviceStore } from '../ports/device-store.js';
import type { QueueFactory } from './queue-factory.js';

export const ActivationJobData = z.object({
  deviceId: z.string(),
  /** Receive time of the reading that triggered it (epoch ms), for the logs. */
  seenAt: z.number(),
});
export type ActivationJobData = z.infer<typeof ActivationJobData>;

export type ActivationOutcome = 'activated' | 'skipped' | 'failed';

export interface ActivationJobOptions {
  readonly store: DeviceStore;
  readonly logger: Logger;
  /** @default 5 */
  readonly attempts?: number;
  /** First retry delay, doubled each time. @default 500 */
  readonly backoffMs?: number;
  readonly onOutcome?: (outcome: ActivationOutcome) => void;
}

export interface ActivationJobs {
  /**
   * Queues an activation for each device that needs one (provisioned or silent). One job per
   * record version: readings of the same device in the same state share the job.
   */
  request(
    devices: ReadonlyArray<{ readonly device: DeviceRecord; readonly seenAt: number }>,
  ): Promise<number>;
  readonly queue: Queue<ActivationJobData>;
  readonly worker: Worker<ActivationJobData>;
}

/**
 * First valid reading -> active, as a BullMQ job with retries: the transition goes through the
 * store (record + outbox + audit by "system" in one step), so the validator and every consumer of
 * the registry topic learn it like any other change. A device that is no longer provisioned or
 * silent when the job runs (already active, suspended meanwhile) is left alone.
 */
export function createActivationJobs(factory: QueueFactory, options: ActivationJobOptions): ActivationJobs {
  const { store, logger } = options;
  const queue = factory.queue<ActivationJobData>('activation');

  const processor = async (job: Job<ActivationJobData>): Promise<string> => {
    const data = ActivationJobData.parse(job.data);
    const result = await applyTransition({
      store,
      deviceId: data.deviceId,
      event: { type: 'activate' },
      actor: SYSTEM_ACTOR,
      action: 'device.activate',
      auditUnchanged: false,
    });
    if (!result.ok) {
      options.onOutcome?.('skipped');
      return `skipped: ${result.reason}`;
    }
    options.onOutcome?.('activated');
    logger.info('device active', { deviceId: data.deviceId, seenAt: new Date(data.seenAt).toISOString() });
    return 'active';
  };

  const worker = factory.worker<ActivationJobData>('activation', processor, { concurrency: 4 });
  worker.on('failed', (job, error) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) options.onOutcome?.('failed');
    logger.warn('activation attempt failed', { deviceId: job?.data.deviceId, final, error: error.message });
  });
  worker.on('error', (error) => logger.error('activation worker error', { error }));

  return {
    queue,
    worker,
    async request(devices) {
      const due = devices.filter(({ device }) => needsActivation(device.state));
      await Promise.all(
        due.map(({ device, seenAt }) =>
          queue.add(
            'activate',
            { deviceId: device.deviceId, seenAt },
            {
              // BullMQ ignores an add whose id exists: a burst of readings makes one job.
              jobId: `activate-${device.deviceId}-${Date.parse(device.updatedAt)}`,
              attempts: options.attempts ?? 5,
              backoff: { type: 'exponential', delay: options.backoffMs ?? 500 },
              removeOnComplete: { age: 3_600 },
              removeOnFail: { count: 1_000 },
            },
          ),
        ),
      );
      return due.length;
    },
  };
}
