import { describe, expect, it } from 'vitest';
import { CheckpointFormatError, decodeCheckpoint, encodeCheckpoint } from '../src/checkpoint-codec.js';
import { WindowStore } from '../src/domain/index.js';
import { dstDataset, reading } from './dst-dataset.js';

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

  it('still reads a version 1 checkpoint, with absolute timestamps', () => {
    const checkpoint = checkpointOf();
    const { partition, offset, writtenAt, snapshot } = checkpoint;
    const v1 = Buffer.from(JSON.stringify({ v: 1, topic: 't', partition, offset, writtenAt, snapshot }));
    expect(decodeCheckpoint(v1, 't', 2)).toEqual(checkpoint);
  });

  it('writes timestamps as differences when they are integers, and as they are otherwise', () => {
    const checkpoint = checkpointOf();
    const text = encodeCheckpoint('t', checkpoint).toString();
    expect(text).toContain('"dts":[');
    expect(text).not.toContain('"ts":[');
    const T0 = Date.parse('2026-10-20T10:00:00Z');
    const fractional = checkpointOf([
      reading('em-1', 'energy.active_power', T0 + 0.5, 1),
      reading('em-1', 'energy.active_power', T0 + 60_000, 2),
    ]);
    const bytes = encodeCheckpoint('t', fractional);
    expect(bytes.toString()).toContain('"ts":[');
    expect(decodeCheckpoint(bytes, 't', 2)).toEqual(fractional);
  });

  it('refuses a version 2 window with both or neither of ts and dts', () => {
    const record = JSON.parse(encodeCheckpoint('t', checkpointOf()).toString());
    const window = record.snapshot.series[0].lanes[0].open[0];
    window.ts = [1];
    expect(() => decodeCheckpoint(Buffer.from(JSON.stringify(record)), 't', 2)).toThrow(/either ts or dts/);
    delete window.ts;
    delete window.dts;
    expect(() => decodeCheckpoint(Buffer.from(JSON.stringify(record)), 't', 2)).toThrow(/either ts or dts/);
  });
});
