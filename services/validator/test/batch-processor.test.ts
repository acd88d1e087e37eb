import { silentLogger } from '@terrapulse/service-kit';
import { describe, expect, it } from 'vitest';
import { createBatchProcessor } from '../src/batch-processor.js';
import { createUplinkValidator, defaultValidationPolicy, type RawUplink } from '../src/domain/index.js';
import { createValidatorMetrics } from '../src/metrics.js';
import type { OutputSink, RawBatch, TopicMessages } from '../src/ports/index.js';
import { deviceRecord, envelope, rawUplink, tableOf } from './fixtures.js';

const topics = { readings: 'out.readings', rejected: 'out.rejected' };
const validate = createUplinkValidator({
  lookup: tableOf(deviceRecord()).lookup,
  policy: defaultValidationPolicy,
});

/** A sink that records sends and fails the first `failures` of them. */
function fakeSink(failures = 0) {
  const sends: TopicMessages[][] = [];
  let failed = 0;
  const sink: OutputSink = {
    connect: async () => {},
    close: async () => {},
    health: () => ({ connected: true, detail: {} }),
    send: async (batches) => {
      if (failed < failures) {
        failed += 1;
        throw new Error('broker unavailable');
      }
      sends.push(batches.map((b) => ({ topic: b.topic, messages: [...b.messages] })));
    },
  };
  return { sink, sends };
}

function fakeBatch(messages: RawUplink[], active = () => true) {
  const commits: string[] = [];
  const batch: RawBatch = {
    partition: 0,
    messages,
    lag: 0,
    isActive: active,
    heartbeat: async () => {},
    commit: async (offset) => {
      commits.push(offset);
    },
  };
  return { batch, commits };
}

const good = (offset: number) =>
  rawUplink(envelope([{ metric: 'water.flow', value: offset }], { seq: offset }), { offset: String(offset) });
const bad = (offset: number) => rawUplink('not json', { offset: String(offset) });

function processor(
  sink: OutputSink,
  options: { maxSendBytes?: number; signal?: AbortSignal; stopGraceMs?: number } = {},
) {
  const metrics = createValidatorMetrics({ processMetrics: false });
  const process = createBatchProcessor({
    validate,
    sink,
    topics,
    metrics,
    logger: silentLogger,
    maxSendBytes: options.maxSendBytes ?? 900_000,
    signal: options.signal ?? new AbortController().signal,
    retry: { initialMs: 1, maxMs: 5 },
    stopGraceMs: options.stopGraceMs ?? 30,
  });
  return { process, metrics };
}

describe('batch processor', () => {
  it('writes readings and dead letters of a batch in one send, then commits its last offset', async () => {
    const { sink, sends } = fakeSink();
    const { batch, commits } = fakeBatch([good(10), bad(11), good(12)]);
    const { process, metrics } = processor(sink);
    await process(batch);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.map((b) => [b.topic, b.messages.length])).toEqual([
      ['out.readings', 2],
      ['out.rejected', 1],
    ]);
    expect(sends[0]?.[0]?.messages.map((m) => JSON.parse(m.value.toString()).sourceSeq)).toEqual([10, 12]);
    expect(sends[0]?.[0]?.messages[0]?.key).toBe('wm-0001');
    expect(commits).toEqual(['12']);
    expect((await metrics.rejected.get()).values).toEqual([
      { labels: { reason: 'MALFORMED_PAYLOAD' }, value: 1 },
    ]);
    expect((await metrics.readingsOut.get()).values[0]?.value).toBe(2);
  });

  it('splits sends by bytes and commits only messages whose outputs are all acknowledged', async () => {
    const { sink, sends } = fakeSink();
    const messages = Array.from({ length: 10 }, (_, i) => good(i));
    const { batch, commits } = fakeBatch(messages);
    const size = Buffer.byteLength(JSON.stringify(validate(good(0), 0).readings[0])) + 'wm-0001'.length;
    await processor(sink, { maxSendBytes: size * 3 }).process(batch);
    expect(sends.map((s) => s[0]?.messages.length)).toEqual([3, 3, 3, 1]);
    // The send of a chunk happens when the next message does not fit, before that message is done.
    expect(commits).toEqual(['2', '5', '8', '9']);
  });

  it('splits the dead letters of one message across sends and commits it only after the last', async () => {
    const { sink, sends } = fakeSink();
    const invalid = Array.from({ length: 5 }, () => ({ metric: 'water.flow', value: 1, unit: 'furlongs' }));
    const many = rawUplink(envelope(invalid), { offset: '21' });
    const { batch, commits } = fakeBatch([good(20), many]);
    const letter = Buffer.byteLength(JSON.stringify(validate(many, 0).rejections[0])) + 'wm-0001'.length;
    await processor(sink, { maxSendBytes: letter * 2 + 10 }).process(batch);
    const rejectedPerSend = sends.map((s) => s.find((b) => b.topic === 'out.rejected')?.messages.length ?? 0);
    expect(rejectedPerSend).toEqual([1, 2, 2]);
    expect(sends[0]?.[0]?.topic).toBe('out.readings');
    expect(commits).toEqual(['20', '21']);
  });

  it('retries a failed send, then commits, without losing or duplicating an output', async () => {
    const { sink, sends } = fakeSink(3);
    const { batch, commits } = fakeBatch([good(1), good(2)]);
    const { process, metrics } = processor(sink);
    await process(batch);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.[0]?.messages).toHaveLength(2);
    expect(commits).toEqual(['2']);
    expect((await metrics.sendFailures.get()).values[0]?.value).toBe(3);
  });

  it('lets a send in flight at shutdown finish within the grace period and commits it', async () => {
    const stop = new AbortController();
    const { sink: recording, sends } = fakeSink();
    const slow: OutputSink = {
      ...recording,
      send: async (batches) => {
        stop.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
        await recording.send(batches);
      },
    };
    const { batch, commits } = fakeBatch([good(1)]);
    await processor(slow, { signal: stop.signal, stopGraceMs: 1_000 }).process(batch);
    expect(sends).toHaveLength(1);
    expect(commits).toEqual(['1']);
  });

  it('hands the batch back uncommitted when a send at shutdown outlasts the grace period', async () => {
    const stop = new AbortController();
    const sink: OutputSink = { ...fakeSink().sink, send: () => new Promise(() => {}) };
    const { batch, commits } = fakeBatch([good(1)]);
    const done = processor(sink, { signal: stop.signal }).process(batch);
    setTimeout(() => stop.abort(), 20);
    await done;
    expect(commits).toEqual([]);
  });

  it('stops between messages when the partition is taken away, committing nothing it did not send', async () => {
    const { sink, sends } = fakeSink();
    let checks = 0;
    const { batch, commits } = fakeBatch([good(1), good(2), good(3)], () => ++checks <= 2);
    await processor(sink).process(batch);
    expect(sends).toEqual([]);
    expect(commits).toEqual([]);
  });
});
