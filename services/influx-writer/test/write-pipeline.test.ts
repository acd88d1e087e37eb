import { silentLogger } from '@terrapulse/service-kit';
import type { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Stream } from '../src/domain/encode-record.js';
import { measurementNames } from '../src/domain/line-protocol.js';
import { PointSinkError } from '../src/errors.js';
import { createWriterMetrics } from '../src/metrics.js';
import type { PointSink } from '../src/ports/point-sink.js';
import type { RecordChunk } from '../src/ports/record-source.js';
import { WritePipeline, type WritePipelineOptions } from '../src/write-pipeline.js';
import { reading } from './fixtures.js';

type Answer = 'ok' | PointSinkError | Promise<void>;

/** A sink that answers each write with what `answer` says, and remembers every body. */
class FakeSink implements PointSink {
  readonly bodies: string[] = [];
  readonly accepted: string[] = [];
  constructor(private readonly answer: (body: string, call: number) => Answer = () => 'ok') {}
  async write(bytes: string | Buffer, signal?: AbortSignal): Promise<void> {
    const body = bytes.toString();
    this.bodies.push(body);
    const answer = this.answer(body, this.bodies.length);
    if (answer instanceof PointSinkError) throw answer;
    if (answer !== 'ok') {
      await Promise.race([
        answer,
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(new PointSinkError('ABORTED', 'aborted'))),
        ),
      ]);
    }
    this.accepted.push(...body.split('\n'));
  }
  async ping(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

function chunkOf(values: Array<string | null>, stream: Stream = 'readings') {
  const chunk = {
    completed: 0,
    stream,
    topic: 'telemetry.readings',
    partition: 0,
    records: values.map((value, i) => ({
      value: value === null ? null : Buffer.from(value),
      offset: String(i),
    })),
    complete() {
      chunk.completed++;
    },
  } satisfies RecordChunk & { completed: number };
  return chunk;
}

const readings = (count: number, device = (i: number) => `dev-${i}`) =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify(reading({ deviceId: device(i), ts: 1_772_000_000_000 + i })),
  );

function pipeline(sink: PointSink, options: Partial<WritePipelineOptions> = {}) {
  const metrics = createWriterMetrics();
  const writer = new WritePipeline({
    sink,
    metrics,
    logger: silentLogger,
    random: () => 1,
    options: {
      maxPoints: 100,
      maxLingerMs: 10_000,
      maxInFlight: 2,
      backoff: { initialMs: 5, maxMs: 20 },
      names: measurementNames(),
      ...options,
    },
  });
  return { writer, metrics };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function count(counter: Counter<string>, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

const unreachable = () => new PointSinkError('UNREACHABLE', 'connect ECONNREFUSED');
const refused = (droppedPoints?: number) =>
  new PointSinkError('POINTS_REJECTED', 'field type conflict', {
    status: 400,
    ...(droppedPoints !== undefined && { droppedPoints }),
  });

describe('write pipeline', () => {
  it('closes a batch at the point limit and completes the chunk once every batch is accepted', async () => {
    const sink = new FakeSink();
    const { writer } = pipeline(sink, { maxPoints: 3 });
    const chunk = chunkOf(readings(7));
    writer.accept(chunk);
    await until(() => sink.accepted.length === 6);
    expect(sink.bodies.map((b) => b.split('\n').length)).toEqual([3, 3]);
    expect(chunk.completed).toBe(0);
    writer.flush();
    await until(() => chunk.completed === 1);
    expect(sink.bodies).toHaveLength(3);
    expect(writer.pendingPoints()).toBe(0);
  });

  it('closes a batch when its linger time is over', async () => {
    const sink = new FakeSink();
    const { writer } = pipeline(sink, { maxLingerMs: 30 });
    const chunk = chunkOf(readings(2));
    writer.accept(chunk);
    expect(sink.bodies).toHaveLength(0);
    await until(() => chunk.completed === 1);
    expect(sink.bodies).toHaveLength(1);
  });

  it('gathers several chunks into one batch', async () => {
    const sink = new FakeSink();
    const { writer } = pipeline(sink);
    const chunks = [chunkOf(readings(2)), chunkOf(readings(3))];
    for (const chunk of chunks) writer.accept(chunk);
    writer.flush();
    await until(() => chunks.every((c) => c.completed === 1));
    expect(sink.bodies).toHaveLength(1);
    expect(sink.accepted).toHaveLength(5);
  });

  it('retries with backoff while InfluxDB is unreachable and completes the chunk only after it accepts', async () => {
    let up = false;
    const sink = new FakeSink(() => (up ? 'ok' : unreachable()));
    const { writer, metrics } = pipeline(sink);
    const chunk = chunkOf(readings(4));
    writer.accept(chunk);
    writer.flush();
    await until(() => sink.bodies.length >= 4);
    expect(chunk.completed).toBe(0);
    expect(writer.influx()).toMatchObject({ up: false, lastError: 'connect ECONNREFUSED' });
    expect(writer.pendingPoints()).toBe(4);
    up = true;
    await until(() => chunk.completed === 1);
    expect(writer.influx().up).toBe(true);
    expect(new Set(sink.bodies).size).toBe(1);
    expect(await count(metrics.writeRetries, { code: 'UNREACHABLE' })).toBe(sink.bodies.length - 1);
    expect(await count(metrics.pointsWritten, { measurement: 'reading' })).toBe(4);
  });

  it('isolates the point InfluxDB refuses, writes the others and counts it skipped', async () => {
    const sink = new FakeSink((body) => (body.includes('device=bad-one') ? refused() : 'ok'));
    const { writer, metrics } = pipeline(sink);
    const chunk = chunkOf(readings(8, (i) => (i === 5 ? 'bad-one' : `dev-${i}`)));
    writer.accept(chunk);
    writer.flush();
    await until(() => chunk.completed === 1);
    expect(sink.accepted).toHaveLength(7);
    expect(sink.accepted.some((line) => line.includes('bad-one'))).toBe(false);
    expect(await count(metrics.recordsSkipped, { cause: 'rejected_by_influxdb', stream: 'readings' })).toBe(
      1,
    );
    expect(await count(metrics.pointsWritten)).toBe(7);
  });

  it('skips a whole request at once when InfluxDB says it dropped every point', async () => {
    const sink = new FakeSink((body) => refused(body.split('\n').length));
    const { writer, metrics } = pipeline(sink);
    const chunk = chunkOf(readings(6));
    writer.accept(chunk);
    writer.flush();
    await until(() => chunk.completed === 1);
    expect(sink.bodies).toHaveLength(1);
    expect(await count(metrics.recordsSkipped, { cause: 'rejected_by_influxdb' })).toBe(6);
  });

  it('completes at once a chunk whose records are all skipped, counting each by cause', async () => {
    const sink = new FakeSink();
    const { writer, metrics } = pipeline(sink);
    const chunk = chunkOf(['not json', null, '{"deviceId":"x"}']);
    writer.accept(chunk);
    expect(chunk.completed).toBe(1);
    expect(sink.bodies).toHaveLength(0);
    expect(await count(metrics.recordsSkipped, { cause: 'malformed_json' })).toBe(1);
    expect(await count(metrics.recordsSkipped, { cause: 'empty' })).toBe(1);
    expect(await count(metrics.recordsSkipped, { cause: 'invalid_record' })).toBe(1);
    expect(await count(metrics.recordsConsumed, { stream: 'readings' })).toBe(3);
  });

  it('writes no more batches at once than allowed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = new FakeSink(() => gate);
    const { writer } = pipeline(sink, { maxPoints: 1, maxInFlight: 2 });
    const chunk = chunkOf(readings(5));
    writer.accept(chunk);
    await until(() => sink.bodies.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sink.bodies).toHaveLength(2);
    release();
    await until(() => chunk.completed === 1);
    expect(sink.bodies).toHaveLength(5);
  });

  it('drains what is buffered on stop and refuses chunks afterwards', async () => {
    const sink = new FakeSink();
    const { writer } = pipeline(sink);
    const chunk = chunkOf(readings(3));
    writer.accept(chunk);
    expect(await writer.drain(1_000)).toBe(true);
    expect(chunk.completed).toBe(1);
    const late = chunkOf(readings(1));
    writer.accept(late);
    writer.flush();
    expect(late.completed).toBe(0);
    expect(sink.bodies).toHaveLength(1);
  });

  it('gives up on stop when InfluxDB stays down, leaving the chunk uncompleted for redelivery', async () => {
    const sink = new FakeSink(() => unreachable());
    const { writer } = pipeline(sink, { backoff: { initialMs: 5, maxMs: 5 } });
    const chunk = chunkOf(readings(3));
    writer.accept(chunk);
    const started = Date.now();
    expect(await writer.drain(100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(chunk.completed).toBe(0);
    expect(writer.pendingPoints()).toBe(0);
  });

  it('counts written points by measurement', async () => {
    const sink = new FakeSink();
    const { writer, metrics } = pipeline(sink);
    const chunk = chunkOf(readings(2));
    writer.accept(chunk);
    writer.flush();
    await until(() => chunk.completed === 1);
    expect(await count(metrics.pointsWritten, { measurement: 'reading' })).toBe(2);
    expect(await count(metrics.pointsWritten, { measurement: 'aggregate_1h' })).toBe(0);
  });
});
