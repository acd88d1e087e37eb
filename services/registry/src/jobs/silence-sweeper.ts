import type { Logger } from '@terrapulse/service-kit';
import type { Queue, Worker } from 'bullmq';
import { applyTransition } from '../commands/apply-transition.js';
import { isSilent } from '../domain/silence.js';
import { SYSTEM_ACTOR } from '../ports/actor.js';
import type { DeviceStore } from '../ports/device-store.js';
import type { QueueFactory } from './queue-factory.js';

/** The health store's view the sweeper needs: when each device last reported. */
export interface LastSeenSource {
  lastSeen(deviceIds: readonly string[]): Promise<Array<number | undefined>>;
}

export interface SilenceSweeperOptions {
  readonly store: DeviceStore;
  readonly health: LastSeenSource;
  /** REGISTRY_SILENCE_FACTOR. */
  readonly factor: number;
  /** REGISTRY_SWEEP_INTERVAL_MS. */
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onSilenced?: (count: number) => void;
}

export interface SilenceSweeper {
  /** Installs the repeating sweep (idempotent across instances) and starts the worker. */
  start(): Promise<void>;
  /** One sweep now; returns the devices marked silent. Exposed for tests and the worker. */
  sweep(): Promise<string[]>;
  readonly queue: Queue;
  readonly worker: Worker;
}

const PAGE = 500;
const SCHEDULER_ID = 'silence-sweep';

/**
 * Marks active devices silent when now - lastSeenAt > expectedIntervalS * factor. It runs as a
 * BullMQ job scheduler: every instance upserts the same scheduler and BullMQ hands each repetition
 * to exactly one worker, so two registries never sweep at once. The next valid reading of a silent
 * device activates it again (see activation-job.ts).
 */
export function createSilenceSweeper(factory: QueueFactory, options: SilenceSweeperOptions): SilenceSweeper {
  const { store, health, factor, logger } = options;
  const now = options.now ?? Date.now;
  const queue = factory.queue('silence');

  async function sweep(): Promise<string[]> {
    const silenced: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ state: 'active' }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor ?? undefined;
      const lastSeen = await health.lastSeen(page.items.map((d) => d.deviceId));
      for (const [i, device] of page.items.entries()) {
        if (!isSilent(device, lastSeen[i], now(), factor)) continue;
        // Read again right before the change: a reading may have arrived during the sweep.
        const [fresh] = await health.lastSeen([device.deviceId]);
        if (!isSilent(device, fresh, now(), factor)) continue;
        const reference = fresh ?? Date.parse(device.updatedAt);
        const result = await applyTransition({
          store,
          deviceId: device.deviceId,
          event: { type: 'silence', silentForS: Math.round((now() - reference) / 1000) },
          actor: SYSTEM_ACTOR,
          action: 'device.silence',
          auditUnchanged: false,
        });
        if (result.ok && result.changed) silenced.push(device.deviceId);
      }
    } while (cursor !== undefined);
    if (silenced.length > 0) {
      logger.info('devices silent', { count: silenced.length, deviceIds: silenced.slice(0, 20) });
      options.onSilenced?.(silenced.length);
    }
    return silenced;
  }

  const worker = factory.worker('silence', async () => (await sweep()).length, { concurrency: 1 });
  worker.on('failed', (_job, error) => logger.warn('silence sweep failed', { error: error.message }));
  worker.on('error', (error) => logger.error('silence worker error', { error }));

  return {
    queue,
    worker,
    sweep,
    async start() {
      await queue.upsertJobScheduler(
        SCHEDULER_ID,
        { every: options.intervalMs },
        { name: 'sweep', opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
      );
    },
  };
}
