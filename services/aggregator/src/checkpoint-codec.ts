/**
 * Bytes of a checkpoint record: JSON, versioned, naming the input topic and partition it
 * belongs to. The schema is the aggregator's private format (only the aggregator reads it),
 * built from the contract's field schemas so a restored series is as valid as a fresh one.
 *
 * Version 2 writes the timestamps of a window as differences (`dts`: the first one, then the
 * gap to each next one) when they are all safe integers, as readings' are: a window holds a
 * reading per minute or so, and a gap of `60000` is a third of the text of a 13-digit epoch
 * that JSON.stringify must also format as a double. Checkpoints shrink by about a third, and
 * so does the work of writing them. Version 1 records (absolute `ts`) are still read.
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
import { checkpointJson } from './checkpoint-json.js';
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

/** A version 2 window: `dts` (first timestamp, then differences) or, for other numbers, `ts`. */
const WindowSnapshotV2 = z
  .object({
    start: z.number(),
    end: z.number(),
    ts: z.array(z.number()).optional(),
    dts: z.array(z.int()).optional(),
    values: z.array(z.number()),
    duplicates: z.int().min(0),
    conflicts: z.int().min(0),
  })
  .refine((w) => (w.ts === undefined) !== (w.dts === undefined), 'a window needs either ts or dts')
  .transform(({ dts, ts, ...window }) => ({ ...window, ts: ts ?? undeltas(dts ?? []) }));

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

function storeSnapshot<W extends z.ZodType>(window: W) {
  return z.object({
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
            open: z.array(window),
          }),
        ),
      }),
    ),
  });
}

const StoreSnapshot = storeSnapshot(WindowSnapshot) satisfies z.ZodType<WindowStoreSnapshot>;
const StoreSnapshotV2 = storeSnapshot(WindowSnapshotV2) satisfies z.ZodType<WindowStoreSnapshot, unknown>;

const RecordHeader = {
  topic: z.string(),
  partition: z.int().min(0),
  offset: z.int().min(0),
  writtenAt: z.int().min(0),
};

const CheckpointRecord = z.discriminatedUnion('v', [
  z.object({ v: z.literal(1), ...RecordHeader, snapshot: StoreSnapshot }),
  z.object({ v: z.literal(2), ...RecordHeader, snapshot: StoreSnapshotV2 }),
]);

/** Timestamps from their differences (the first one absolute). */
function undeltas(dts: readonly number[]): number[] {
  const ts: number[] = [];
  let previous = 0;
  for (const d of dts) {
    previous += d;
    ts.push(previous);
  }
  return ts;
}

/** Differences of `ts` (the first one absolute), or undefined unless they are all safe integers. */
function deltas(ts: readonly number[]): number[] | undefined {
  const dts: number[] = [];
  let previous = 0;
  for (const t of ts) {
    if (!Number.isSafeInteger(t)) return undefined;
    dts.push(t - previous);
    previous = t;
  }
  return dts;
}

/** The snapshot as version 2 writes it: each window's timestamps as differences when it can. */
function toV2(snapshot: WindowStoreSnapshot): unknown {
  return {
    ...snapshot,
    series: snapshot.series.map((series) => ({
      ...series,
      lanes: series.lanes.map((lane) => ({
        ...lane,
        open: lane.open.map(({ start, end, ts, values, duplicates, conflicts }) => {
          const dts = deltas(ts);
          return dts === undefined
            ? { start, end, ts, values, duplicates, conflicts }
            : { start, end, dts, values, duplicates, conflicts };
        }),
      })),
    })),
  };
}

/** A checkpoint record that cannot be restored: restoring without it would lose readings. */
export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
}

/**
 * The record's bytes, written straight from the snapshot by `checkpointJson`; the reference path
 * writes those of a checkpoint holding a value that writer leaves to JSON.stringify.
 */
export function encodeCheckpoint(topic: string, checkpoint: PartitionCheckpoint): Buffer {
  return checkpointJson(topic, checkpoint) ?? stringifyCheckpoint(topic, checkpoint);
}

/** The reference encoding: what `checkpointJson` writes, byte for byte, at the cost of three copies. */
export function stringifyCheckpoint(topic: string, checkpoint: PartitionCheckpoint): Buffer {
  const { partition, offset, writtenAt, snapshot } = checkpoint;
  return Buffer.from(JSON.stringify({ v: 2, topic, partition, offset, writtenAt, snapshot: toV2(snapshot) }));
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
