import type { Logger } from '@terrapulse/service-kit';
import { backoffDelay, sleep } from './backoff.js';
import { CheckpointFormatError } from './checkpoint-codec.js';
import type { WindowStoreOptions } from './domain/index.js';
import type { AggregatorMetrics } from './metrics.js';
import { PartitionState } from './partition-state.js';
import type { CheckpointStore, PartitionCheckpoint } from './ports/checkpoint-store.js';
import type { ReadingSource } from './ports/reading-source.js';

export interface RestorerDeps {
  readonly checkpoints: CheckpointStore;
  readonly source: ReadingSource;
  readonly metrics: AggregatorMetrics;
  readonly logger: Logger;
  readonly storeOptions: WindowStoreOptions;
}

/**
 * The states of newly assigned partitions: each restored from its latest checkpoint (or empty),
 * with the input's current end offset, so that the idle timer waits until the backlog is read.
 * Retries a failing Kafka until done or `wanted()` turns false (undefined then). An unreadable
 * checkpoint throws CheckpointFormatError: starting without it would lose readings.
 */
export async function restorePartitions(
  deps: RestorerDeps,
  partitions: readonly number[],
  wanted: () => boolean,
): Promise<Map<number, PartitionState> | undefined> {
  const started = performance.now();
  for (let failures = 1; wanted(); failures++) {
    try {
      const [checkpoints, ends] = await Promise.all([
        deps.checkpoints.load(partitions),
        deps.source.endOffsets(partitions),
      ]);
      const states = new Map<number, PartitionState>();
      for (const partition of partitions) {
        const state = restore(partition, checkpoints.get(partition), deps.storeOptions);
        state.endOffset = ends.get(partition) ?? 0;
        states.set(partition, state);
      }
      const seconds = (performance.now() - started) / 1_000;
      deps.metrics.restoreSeconds.observe(seconds);
      deps.logger.info('partitions restored', { partitions, checkpoints: checkpoints.size, seconds });
      return states;
    } catch (error) {
      if (error instanceof CheckpointFormatError) throw error;
      deps.metrics.dependencyFailures.inc({ operation: 'load_checkpoints' });
      deps.logger.warn('loading checkpoints failed, retrying', { partitions, failures, error });
      await sleep(backoffDelay(failures));
    }
  }
  return undefined;
}

function restore(
  partition: number,
  checkpoint: PartitionCheckpoint | undefined,
  options: WindowStoreOptions,
): PartitionState {
  if (checkpoint === undefined) return PartitionState.fresh(partition, options);
  try {
    return PartitionState.restore(checkpoint, options);
  } catch (error) {
    throw new CheckpointFormatError(`checkpoint of partition ${partition} cannot be restored`, {
      cause: error,
    });
  }
}
