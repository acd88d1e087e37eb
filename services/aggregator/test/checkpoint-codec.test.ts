import { describe, expect, it } from 'vitest';
import { CheckpointFormatError, decodeCheckpoint, encodeCheckpoint } from '../src/checkpoint-codec.js';
import { WindowStore } from '../src/domain/index.js';
import { dstDataset } from './dst-dataset.js';

function checkpointOf(readings = dstDataset()) {
  const store = new WindowStore({ allowedLatenessMs: 3_600_000 });
  for (const r of readings) store.apply(r);
  return { partition: 2, offset: readings.length, snapshot: store.snapshot(), writtenAt: 1_790_000_000_000 };
}

describe('checkpoint codec', () => {
  it('reads back what it wrote, into a store in the same state', () => {
    const checkpoint = checkpointOf();
    const decoded = decodeCheckpoint(
      encodeCheckpoint('telemetry.readings', checkpoint),
      'telemetry.readings',
      2,
    );
    expect(decoded).toEqual(checkpoint);
    expect(WindowStore.restore(decoded.snapshot).snapshot()).toEqual(checkpoint.snapshot);
  });

  it('refuses a checkpoint of another topic or partition', () => {
    const bytes = encodeCheckpoint('telemetry.readings', checkpointOf());
    expect(() => decodeCheckpoint(bytes, 'other.readings', 2)).toThrow(CheckpointFormatError);
    expect(() => decodeCheckpoint(bytes, 'telemetry.readings', 1)).toThrow(
      /belongs to telemetry.readings\[2\]/,
    );
  });

  it('refuses bytes that are not a checkpoint, naming what is wrong', () => {
    expect(() => decodeCheckpoint(Buffer.from('{'), 't', 0)).toThrow(/not JSON/);
    const checkpoint = checkpointOf();
    const tampered = JSON.parse(encodeCheckpoint('t', checkpoint).toString());
    tampered.snapshot.series[0].meta.metric = 'energy.unknown';
    expect(() => decodeCheckpoint(Buffer.from(JSON.stringify(tampered)), 't', 2)).toThrow(
      /snapshot\.series\.0\.meta\.metric/,
    );
  });
});
