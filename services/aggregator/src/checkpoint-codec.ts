/**
 * Bytes of a checkpoint record: JSON, versioned, naming the input topic and partition it
 * belongs to. The schema is the aggregator's private format (only the aggregator reads it),
 * built from the contract's field schemas so a restored series is as valid as a fresh one.
 */

import {
  AggregateWindow,
  CanonicalUnit,
  DeviceId,
  Domain,
  IanaTimezone,
  MetricId,
  MetricKind,
  NormalizedDims,
  Slug,
} from '@terrapulse/contracts';
import { z } from 'zod';
import type { WindowStoreSnapshot } from './domain/index.js';
import type { PartitionCheckpoint } from './ports/checkpoint-store.js';

const TimedValue = z.object({ ts: z.number(), value: z.number() });

const WindowSnapshot = z.object({
  start: z.number(),
  end: z.number(),
  ts: z.array(z.number()),
  values: z.array(z.number()),
  duplicates: z.int().min(0),
  conflicts: z.int().min(0),
});

const SeriesMeta = z.object({
  deviceId: DeviceId,
  tenant: Slug,
  site: Slug,
  domain: Domain,
  metric: MetricId,
  kind: MetricKind,
  unit: CanonicalUnit,
  dims: NormalizedDims,
});

const StoreSnapshot = z.object({
  version: z.literal(1),
  devices: z.array(z.object({ deviceId: z.string(), watermark: z.number().nullable() })),
  series: z.array(
    z.object({
      key: z.string(),
      meta: SeriesMeta,
      timeZone: IanaTimezone,
      lanes: z.array(
        z.object({
          window: AggregateWindow,
          carry: TimedValue.optional(),
          closedThrough: z.number().optional(),
          open: z.array(WindowSnapshot),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<WindowStoreSnapshot>;

const CheckpointRecord = z.object({
  v: z.literal(1),
  topic: z.string(),
  partition: z.int().min(0),
  offset: z.int().min(0),
  writtenAt: z.int().min(0),
  snapshot: StoreSnapshot,
});

/** A checkpoint record that cannot be restored: restoring without it would lose readings. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
}

export function encodeCheckpoint(topic: string, checkpoint: PartitionCheckpoint): Buffer {
  const { partition, offset, writtenAt, snapshot } = checkpoint;
  return Buffer.from(JSON.stringify({ v: 1, topic, partition, offset, writtenAt, snapshot }));
}

/**
 * @throws CheckpointFormatError when `bytes` is not a checkpoint of `topic`/`partition`.
 */
export function decodeCheckpoint(bytes: Buffer, topic: string, partition: number): PartitionCheckpoint {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new CheckpointFormatError(`checkpoint of partition ${partition} is not JSON`, { cause: error });
  }
  const parsed = CheckpointRecord.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new CheckpointFormatError(
      `checkpoint of partition ${partition} is malformed: ${issues.join('; ')}`,
    );
  }
  const record = parsed.data;
  if (record.topic !== topic || record.partition !== partition) {
    throw new CheckpointFormatError(
      `checkpoint found for ${topic}[${partition}] belongs to ${record.topic}[${record.partition}]: ` +
        'two inputs share one checkpoint topic',
    );
  }
  return { partition, offset: record.offset, writtenAt: record.writtenAt, snapshot: record.snapshot };
}
