import type { Logger } from '@terrapulse/service-kit';
import type { Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { applyTransition } from '../commands/apply-transition.js';
import { type Actor, SYSTEM_ACTOR } from '../ports/actor.js';
import type { DeviceStore } from '../ports/device-store.js';
import type { MqttAccess } from '../ports/mqtt-access.js';
import type { QueueFactory } from './queue-factory.js';
import type { SecretBox } from './secret-box.js';

/** A provisioning job's payload; the password is sealed (see secret-box.ts), never in clear. */
export const ProvisionJobData = z.object({
  deviceId: z.string(),
  sealedPassword: z.string(),
  actor: z.object({ name: z.string(), role: z.enum(['admin', 'operator', 'viewer', 'system']) }),
});
export type ProvisionJobData = z.infer<typeof ProvisionJobData>;

export interface ProvisionJobOptions {
  readonly store: DeviceStore;
  readonly access: MqttAccess;
  readonly secrets: SecretBox;
  readonly logger: Logger;
  readonly attempts: number;
  readonly backoffMs: number;
  /** Called with the outcome, for metrics. */
  readonly onOutcome?: (outcome: 'provisioned' | 'failed' | 'skipped') => void;
}

export interface ProvisionJobs {
  enqueue(deviceId: string, password: string, actor: Actor): Promise<string>;
  readonly queue: Queue<ProvisionJobData>;
  readonly worker: Worker<ProvisionJobData>;
}

/**
 * Provisioning as a BullMQ job with retries: grant the device's role and client in Mosquitto,
 * then move it registered -> provisioned (or audit a rotation). A job that fails every attempt
 * leaves the device registered with `provisioning failed: <why>` as its stateReason.
 */
export function createProvisionJobs(factory: QueueFactory, options: ProvisionJobOptions): ProvisionJobs {
  const { store, access, secrets, logger } = options;
  const queue = factory.queue<ProvisionJobData>('provision');

  const processor = async (job: Job<ProvisionJobData>): Promise<string> => {
    const data = ProvisionJobData.parse(job.data);
    const device = await store.get(data.deviceId);
    if (device === undefined || device.state === 'suspended' || device.state === 'decommissioned') {
      options.onOutcome?.('skipped');
      return `skipped: device is ${device?.state ?? 'gone'}`;
    }
    await access.grant(data.deviceId, secrets.open(data.sealedPassword));
    const result = await applyTransition({
      store,
      deviceId: data.deviceId,
      event: { type: 'provisioned' },
      actor: data.actor,
      action: 'device.provisioned',
    });
    if (!result.ok) {
      // Suspended or decommissioned while the job ran: the credentials just granted must not work.
      const now = await store.get(data.deviceId);
      if (now?.state === 'decommissioned' || now === undefined) await access.revoke(data.deviceId);
      else if (now.state === 'suspended') await access.disable(data.deviceId);
      options.onOutcome?.('skipped');
      return `skipped: ${result.reason}`;
    }
    options.onOutcome?.('provisioned');
    return result.record.state;
  };

  const worker = factory.worker<ProvisionJobData>('provision', processor, { concurrency: 4 });
  worker.on('failed', (job, error) => {
    if (job === undefined) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn('provisioning attempt failed', {
      deviceId: job.data.deviceId,
      attempt: job.attemptsMade,
      final,
      error: error.message,
    });
    if (!final) return;
    options.onOutcome?.('failed');
    applyTransition({
      store,
      deviceId: job.data.deviceId,
      event: { type: 'provision_failed', error: error.message },
      actor: SYSTEM_ACTOR,
      action: 'device.provision_failed',
    }).then(
      (r) => {
        if (!r.ok) logger.warn('provisioning failure not recorded on the device', { reason: r.reason });
      },
      (e: unknown) => logger.error('could not record a provisioning failure', { error: e }),
    );
  });
  worker.on('error', (error) => logger.error('provision worker error', { error }));

  return {
    queue,
    worker,
    async enqueue(deviceId, password, actor) {
      const job = await queue.add(
        'provision',
        { deviceId, sealedPassword: secrets.seal(password), actor: { name: actor.name, role: actor.role } },
        {
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: options.backoffMs },
          // The payload is sealed anyway; completed jobs go, failed ones stay a while for diagnosis.
          removeOnComplete: true,
          removeOnFail: { count: 1_000 },
        },
      );
      return job.id ?? '';
    },
  };
}
