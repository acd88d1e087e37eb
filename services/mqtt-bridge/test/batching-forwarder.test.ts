import { silentLogger } from '@terrapulse/service-kit';
import { describe, expect, it } from 'vitest';
import { BatchingForwarder, type ForwarderOptions, type ForwardItem } from '../src/batching-forwarder.js';
import { RawSinkError } from '../src/errors.js';
import { createBridgeMetrics } from '../src/metrics.js';
import type { RawRecord, RawRecordSink } from '../src/ports/raw-record-sink.js';

type Outcome = 'ok' | 'unavailable' | 'rejected' | ((records: readonly RawRecord[]) => Promise<void>);

/** A sink that records every call and answers from a script (then succeeds). */
class ScriptedSink implements RawRecordSink {
  readonly calls: string[][] = [];
  readonly script: Outcome[] = [];
  inFlight = 0;
  maxInFlight = 0;

  async connect(): Promise<void> {}
  async close(): Promise<void> {}
  status() {
    return { connected: true };
  }

  async send(records: readonly RawRecord[]): Promise<void> {
    this.calls.push(records.map((r) => r.key));
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const outcome = this.script.shift() ?? 'ok';
      if (outcome === 'unavailable') throw new RawSinkError('UNAVAILABLE', 'broker down');
      if (outcome === 'rejected') throw new RawSinkError('RECORD_REJECTED', 'MESSAGE_TOO_LARGE');
      if (typeof outcome === 'function') await outcome(records);
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** A send that waits until the test opens it. */
class Gate {
  entered = false;
  private release: () => void = () => {};
  readonly outcome = (): Promise<void> => {
    this.entered = true;
    return new Promise<void>((resolve) => {
      this.release = resolve;
    });
  };

  open(): void {
    this.release();
  }
}

interface TestItem extends ForwardItem {
  settled: number;
  gone: boolean;
}

function item(key: string, bytes = 10): TestItem {
  const entry: TestItem = {
    record: { key, value: Buffer.alloc(0), headers: {} },
    bytes,
    settled: 0,
    gone: false,
    ack: {
      settle: () => {
        entry.settled += 1;
      },
      abandoned: () => entry.gone,
    },
  };
  return entry;
}

const options: ForwarderOptions = {
  lingerMs: 5,
  maxBatch: 4,
  maxBatchBytes: 1_000,
  retry: { initialMs: 1, maxMs: 5 },
};

function forwarder(sink: RawRecordSink, overrides: Partial<ForwarderOptions> = {}) {
  const metrics = createBridgeMetrics();
  return {
    forwarder: new BatchingForwarder(sink, { ...options, ...overrides }, metrics, silentLogger),
    metrics,
  };
}

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('batching forwarder', () => {
  it('should send what arrives within the linger time as one batch and settle each item only after Kafka took it', async () => {
    const sink = new ScriptedSink();
    const gate = new Gate();
    sink.script.push(gate.outcome);
    const { forwarder: f } = forwarder(sink);
    const items = ['a', 'b', 'c'].map((key) => item(key));
    for (const each of items) expect(f.offer(each)).toBeUndefined();

    await until(() => gate.entered);
    expect(sink.calls).toEqual([['a', 'b', 'c']]);
    expect(items.map((i) => i.settled)).toEqual([0, 0, 0]);
    gate.open();
    await until(() => items.every((i) => i.settled === 1));
    expect(f.status().inFlight).toBe(0);
  });

  it('should send a full batch at once, without waiting for the linger time', async () => {
    const sink = new ScriptedSink();
    const { forwarder: f } = forwarder(sink, { lingerMs: 60_000 });
    for (const key of ['a', 'b', 'c', 'd']) f.offer(item(key));
    await until(() => sink.calls.length === 1);
    expect(sink.calls[0]).toHaveLength(4);
  });

  it('should cut a batch at its byte budget', async () => {
    const sink = new ScriptedSink();
    const { forwarder: f } = forwarder(sink, { maxBatchBytes: 25 });
    for (const key of ['a', 'b', 'c']) f.offer(item(key, 10));
    await until(() => sink.calls.length === 2);
    expect(sink.calls).toEqual([['a', 'b'], ['c']]);
  });

  it('should keep one send in flight and hold offers once the next batch is full, so memory stays bounded', async () => {
    const sink = new ScriptedSink();
    const gate = new Gate();
    sink.script.push(gate.outcome);
    const { forwarder: f } = forwarder(sink);
    for (const key of ['a', 'b', 'c', 'd']) f.offer(item(key));
    await until(() => gate.entered);
    for (const key of ['e', 'f', 'g', 'h']) expect(f.offer(item(key))).toBeUndefined();
    const held = item('i');
    let admitted = false;
    const admission = f.offer(held);
    expect(admission).toBeInstanceOf(Promise);
    void admission?.then(() => {
      admitted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(admitted).toBe(false);
    expect(sink.calls).toHaveLength(1);

    gate.open();
    await until(() => admitted && held.settled === 1);
    expect(sink.calls).toEqual([['a', 'b', 'c', 'd'], ['e', 'f', 'g', 'h'], ['i']]);
    expect(sink.maxInFlight).toBe(1);
  });

  it('should send the very same records again after a failure, and settle nothing until one send succeeds', async () => {
    const sink = new ScriptedSink();
    sink.script.push('unavailable', 'unavailable', 'unavailable');
    const { forwarder: f, metrics } = forwarder(sink);
    const items = ['a', 'b'].map((key) => item(key));
    for (const each of items) f.offer(each);
    await until(() => sink.calls.length === 2);
    expect(items.map((i) => i.settled)).toEqual([0, 0]);
    expect(f.status().failing?.error).toMatch(/broker down/);

    await until(() => items.every((i) => i.settled === 1));
    expect(sink.calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect((await metrics.kafkaErrors.get()).values[0]?.value).toBe(3);
    expect(f.status().failing).toBeUndefined();
  });

  it('should find the record Kafka refuses by halving the batch, skip only it, and forward the others', async () => {
    const sink = new ScriptedSink();
    const refuse = async (records: readonly RawRecord[]) => {
      if (records.some((r) => r.key === 'big'))
        throw new RawSinkError('RECORD_REJECTED', 'MESSAGE_TOO_LARGE');
    };
    sink.script.push(refuse, refuse, refuse, refuse);
    const { forwarder: f, metrics } = forwarder(sink);
    const items = ['a', 'big', 'c', 'd'].map((key) => item(key));
    for (const each of items) f.offer(each);
    await until(() => items.every((i) => i.settled === 1));
    const forwarded = sink.calls.filter((call) => !call.includes('big')).flat();
    expect(forwarded.sort()).toEqual(['a', 'c', 'd']);
    expect((await metrics.skipped.get()).values[0]?.value).toBe(1);
    expect((await metrics.forwarded.get()).values[0]?.value).toBe(3);
  });

  it('should not send items whose connection closed, and never settle them (the broker redelivers)', async () => {
    const sink = new ScriptedSink();
    const { forwarder: f, metrics } = forwarder(sink);
    const kept = item('kept');
    const gone = item('gone');
    f.offer(kept);
    f.offer(gone);
    gone.gone = true;
    await until(() => kept.settled === 1);
    expect(sink.calls).toEqual([['kept']]);
    expect(gone.settled).toBe(0);
    expect((await metrics.abandoned.get()).values[0]?.value).toBe(1);
    expect(f.status().inFlight).toBe(0);
  });

  it('should drain by sending at once, and report false at the deadline while Kafka refuses', async () => {
    const sink = new ScriptedSink();
    const { forwarder: f } = forwarder(sink, { lingerMs: 60_000 });
    const first = item('a');
    f.offer(first);
    expect(await f.drain(2_000)).toBe(true);
    expect(first.settled).toBe(1);

    sink.script.push(...Array.from({ length: 1_000 }, () => 'unavailable' as const));
    const stuck = item('b');
    f.offer(stuck);
    expect(await f.drain(50)).toBe(false);
    f.close();
    const calls = sink.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sink.calls.length).toBeLessThanOrEqual(calls + 1);
    expect(stuck.settled).toBe(0);
  });
});
