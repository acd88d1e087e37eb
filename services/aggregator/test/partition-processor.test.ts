import { type Aggregate, aggregateKey } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { ALLOWED_LATENESS_MS, dstDataset, MINUTE, reading, TIME_ZONE } from './dst-dataset.js';
import { expectedAggregates, withoutComputedAt } from './expected-aggregates.js';
import { type Effect, FakeCheckpointStore, FakeSink, FakeSource, processorOver } from './fakes.js';

function world(partitions = 3) {
  const effects: Effect[] = [];
  return {
    effects,
    source: new FakeSource(partitions, effects),
    sink: new FakeSink(effects),
    checkpoints: new FakeCheckpointStore(effects),
  };
}

function latest(aggregates: readonly Aggregate[]) {
  return new Map(aggregates.map((a) => [aggregateKey(a), withoutComputedAt(a)]));
}

async function value(
  metric: { get(): Promise<{ values: { value: number; labels: object }[] }> },
  label?: string,
) {
  const { values } = await metric.get();
  return values
    .filter((v) => label === undefined || Object.values(v.labels).includes(label))
    .reduce((sum, v) => sum + v.value, 0);
}

const T0 = Date.parse('2026-10-20T10:00:00Z');

describe('partition processor', () => {
  it('updates of one window between two flushes go out once, with the latest state', async () => {
    const w = world(1);
    const { processor } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings(
      Array.from({ length: 10 }, (_, i) => reading('em-1', 'energy.active_power', T0 + i * MINUTE, i)),
    );
    w.source.assign([0]);
    await w.source.drain(3);
    await processor.tick();
    expect(w.sink.sent.map((a) => [a.window, a.count, a.sum])).toEqual([
      ['15m', 10, 45],
      ['1h', 10, 45],
      ['1d', 10, 45],
    ]);
    await processor.tick();
    expect(w.sink.sent).toHaveLength(3);
  });

  it('a checkpoint publishes pending aggregates, then saves the state, then commits its offset', async () => {
    const w = world(1);
    const { processor } = processorOver(w, { checkpointIntervalMs: 0 });
    await w.source.start(processor.handlers);
    w.source.appendReadings([
      reading('em-1', 'energy.active_power', T0, 1),
      reading('em-1', 'energy.active_power', T0 + MINUTE, 2),
    ]);
    w.source.assign([0]);
    await w.source.drain();
    await processor.tick();
    expect(w.effects).toEqual(['send', 'save', 'commit']);
    expect(w.source.committed.get(0)).toBe(2);
    expect(JSON.parse(w.checkpoints.stored.get(0) ?? '{}')).toMatchObject({ partition: 0, offset: 2 });
  });

  it.each([
    ['right after its last checkpoint', false],
    ['after publishing aggregates of records past its last checkpoint', true],
  ])('a process that dies %s restarts to end every window as an uninterrupted run', async (_, flushAfter) => {
    const dataset = dstDataset();
    const expected = expectedAggregates(dataset, TIME_ZONE, ALLOWED_LATENESS_MS);

    const uninterrupted = world();
    uninterrupted.source.appendReadings(dataset);
    const only = processorOver(uninterrupted);
    await uninterrupted.source.start(only.processor.handlers);
    uninterrupted.source.assign([0, 1, 2]);
    await uninterrupted.source.drain(7);
    await only.processor.tick();

    // A checkpoint after 150 records, then 70 more records (flushed or not), then the process dies.
    const restarted = world();
    restarted.source.appendReadings(dataset.slice(0, 150));
    const before = processorOver(restarted, { checkpointIntervalMs: 1_000 });
    await restarted.source.start(before.processor.handlers);
    restarted.source.assign([0, 1, 2]);
    await restarted.source.drain(7);
    before.now.value += 1_000;
    await before.processor.tick();
    restarted.source.appendReadings(dataset.slice(150, 220));
    await restarted.source.drain(7);
    if (flushAfter) await before.processor.tick();
    expect([...restarted.source.committed.values()].reduce((a, b) => a + b, 0)).toBe(150);

    restarted.source.appendReadings(dataset.slice(220));
    const after = processorOver(restarted);
    await restarted.source.start(after.processor.handlers);
    restarted.source.assign([0, 1, 2]);
    await restarted.source.drain(7);
    await after.processor.tick();

    expect(latest(restarted.sink.sent)).toEqual(expected.aggregates);
    expect(latest(restarted.sink.sent)).toEqual(latest(uninterrupted.sink.sent));
    expect(await value(after.metrics.readings)).toBe(dataset.length - 150);
  });

  it('an invalid record is counted and skipped without stopping the partition', async () => {
    const w = world(1);
    const { processor, metrics } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.append(0, Buffer.from('{"not":"a reading"}'));
    w.source.append(0, Buffer.from('not json'));
    w.source.append(0, null);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    await w.source.drain();
    await processor.tick();
    expect(await value(metrics.readings, 'invalid')).toBe(3);
    expect(await value(metrics.readings, 'applied')).toBe(1);
    expect(w.source.position.get(0)).toBe(4);
    expect(w.sink.sent).toHaveLength(3);
  });

  it('a failing sink is retried until it accepts, with nothing lost and health degraded meanwhile', async () => {
    const w = world(1);
    const { processor, metrics } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    await w.source.drain();
    w.sink.failures = 2;
    const healthDuringRetry = new Promise<string>((resolve) =>
      setTimeout(() => resolve(processor.health().status), 100),
    );
    await processor.tick();
    expect(await healthDuringRetry).toBe('degraded');
    expect(w.sink.sent).toHaveLength(3);
    expect(await value(metrics.dependencyFailures, 'send_aggregates')).toBe(2);
    expect(processor.health().status).toBe('ok');
  });

  it('while the sink fails, the next batch that must flush waits for it: consumption pauses', async () => {
    const w = world(1);
    const { processor } = processorOver(w, { checkpointMaxMessages: 1 });
    await w.source.start(processor.handlers);
    w.source.assign([0]);
    w.sink.failures = 2;
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    await w.source.deliver(0); // starts a checkpoint whose send fails twice
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0 + MINUTE, 2)]);
    let delivered = false;
    const next = w.source.deliver(0).then(() => {
      delivered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([delivered, w.sink.sent.length]).toEqual([false, 0]);
    await next;
    await processor.tick();
    expect(w.sink.sent.filter((a) => a.window === '15m').map((a) => a.count)).toEqual([1, 2]);
    expect(w.source.committed.get(0)).toBe(2);
  });

  it('the idle timer closes a silent device only once its partition has caught up', async () => {
    const w = world(1);
    const { processor, metrics, now } = processorOver(w, { idleTimeoutMs: 15 * MINUTE });
    await w.source.start(processor.handlers);
    w.source.appendReadings([
      reading('em-1', 'energy.active_power', T0, 1),
      reading('em-1', 'energy.active_power', T0 + MINUTE, 2),
    ]);
    // Event time lies far behind the wall clock, as in a replay: that alone closes nothing.
    now.value = T0 + 91 * MINUTE;
    w.source.assign([0]);
    await w.source.deliver(0, 1);
    now.value += 16 * MINUTE;
    await processor.tick();
    // Silent for 16 min, but its partition has not caught up yet: nothing closes.
    expect(await value(metrics.aggregates, 'final')).toBe(0);

    await w.source.drain();
    await processor.tick();
    expect(w.sink.sent.filter((a) => a.window === '15m').map((a) => a.count)).toEqual([1, 2]);
    expect(await value(metrics.aggregates, 'final')).toBe(0);

    // 15 min of processing time without a reading from the device: its windows close, and the
    // updates sent at the last tick were their final values already: nothing goes out again.
    const sentBeforeClose = w.sink.sent.length;
    now.value += 15 * MINUTE;
    await processor.tick();
    expect(await value(metrics.openWindows)).toBe(0);
    expect(await value(metrics.aggregates, 'final')).toBe(0);
    expect(w.sink.sent).toHaveLength(sentBeforeClose);
  });

  it('a window that changed since its last flush closes with a final aggregate, once', async () => {
    const w = world(1);
    const { processor, metrics, now } = processorOver(w, { idleTimeoutMs: 15 * MINUTE });
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    now.value = T0 + 91 * MINUTE;
    w.source.assign([0]);
    await w.source.drain();
    await processor.tick();
    // A reading in the same 15 min window, after the flush: that window and its hour and day change.
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0 + MINUTE, 2)]);
    await w.source.drain();
    now.value += 16 * MINUTE;
    await processor.tick();
    expect(await value(metrics.openWindows)).toBe(0);
    // One final per window kind (15m, 1h, 1d), each with both readings; no update besides.
    expect(await value(metrics.aggregates, 'final')).toBe(3);
    expect(w.sink.sent.slice(3).map((a) => [a.window, a.count, a.sum])).toEqual([
      ['15m', 2, 3],
      ['1h', 2, 3],
      ['1d', 2, 3],
    ]);
  });

  it('a batch behind the checkpoint is skipped up to it, one past it makes the source seek back', async () => {
    const w = world(1);
    const readings = Array.from({ length: 6 }, (_, i) =>
      reading('em-1', 'energy.active_power', T0 + i * MINUTE, i),
    );
    w.source.appendReadings(readings);
    const first = processorOver(w, { checkpointIntervalMs: 0 });
    await w.source.start(first.processor.handlers);
    w.source.assign([0]);
    await w.source.deliver(0, 3);
    await first.processor.tick();
    expect(w.source.committed.get(0)).toBe(3);

    // The group lost its commit: the source starts from 0, the checkpoint says 3.
    w.source.committed.delete(0);
    const second = processorOver(w);
    await w.source.start(second.processor.handlers);
    w.source.assign([0]);
    await w.source.deliver(0, 2);
    expect(w.source.position.get(0)).toBe(3);
    await w.source.drain();
    expect(await value(second.metrics.readings)).toBe(3);

    // State dropped while the source kept its position past the checkpoint: it seeks back.
    w.source.assign([0]);
    w.source.position.set(0, 5);
    await w.source.deliver(0);
    expect(w.source.position.get(0)).toBe(3);
  });

  it('shutdown flushes, checkpoints and commits, and ignores batches after it', async () => {
    const w = world(1);
    const { processor } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    await w.source.drain();
    await processor.shutdown();
    expect(w.effects).toEqual(['send', 'save', 'commit']);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0 + MINUTE, 2)]);
    await w.source.deliver(0);
    expect(w.source.position.get(0)).toBe(1);
  });

  it('a shutdown while the sink is down gives up after a few attempts and writes no checkpoint', async () => {
    const w = world(1);
    const { processor } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    await w.source.drain();
    w.sink.failures = 1_000;
    const ticking = processor.tick();
    while (w.sink.attempts === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await processor.shutdown();
    await ticking;
    expect(w.effects).toEqual([]);
    expect(w.checkpoints.stored.size).toBe(0);
  });

  it('a rebalance seen by a heartbeat checkpoints before the batch hands its partitions back', async () => {
    const w = world(1);
    const { processor } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    w.source.rebalancing = true;
    await w.source.deliver(0);
    expect(w.effects).toEqual(['send', 'save', 'commit']);
    expect(w.source.committed.get(0)).toBe(1);
  });

  it('a member whose heartbeats stopped drops its state instead of publishing', async () => {
    const w = world(1);
    const { processor } = processorOver(w);
    await w.source.start(processor.handlers);
    w.source.appendReadings([reading('em-1', 'energy.active_power', T0, 1)]);
    w.source.assign([0]);
    await w.source.drain();
    w.source.member = false;
    await processor.tick();
    expect(w.sink.sent).toEqual([]);
    expect(processor.health().checks.restoredPartitions).toEqual([]);
  });
});
