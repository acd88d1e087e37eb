import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Aggregate } from '@terrapulse/contracts';
import { repositoryRoot } from '@terrapulse/infra-runner';
import { silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Aggregator, createKafkaAggregator, loadConfig } from '../src/index.js';
import { ALLOWED_LATENESS_MS, dstDataset, TIME_ZONE } from './dst-dataset.js';
import { type ExpectedAggregate, expectedAggregates, withoutComputedAt } from './expected-aggregates.js';
import { KafkaHarness, latestByWindow, serviceEnvironment, uniqueName, waitUntil } from './kafka-harness.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const DAY = 86_400_000;
const dataset = dstDataset();
const expected = expectedAggregates(dataset, TIME_ZONE, ALLOWED_LATENESS_MS);

/** The window aggregates a run left downstream, without the time they were computed. */
function finalState(aggregates: readonly Aggregate[]): Map<string, ExpectedAggregate> {
  return new Map([...latestByWindow(aggregates)].map(([key, a]) => [key, withoutComputedAt(a)]));
}

function matches(actual: Map<string, ExpectedAggregate>, wanted: Map<string, ExpectedAggregate>): boolean {
  return isDeepStrictEqual(actual, wanted);
}

async function counter(app: Aggregator, name: keyof Aggregator['metrics'], label?: string): Promise<number> {
  const metric = app.metrics[name];
  if (!('get' in metric)) throw new Error(`${String(name)} is not a metric`);
  const { values } = await metric.get();
  return values
    .filter((v) => label === undefined || Object.values(v.labels).includes(label))
    .reduce((sum, v) => sum + v.value, 0);
}

/** `main.ts` as a child process, as production runs it, with its JSON log lines collected. */
function spawnAggregator(env: Record<string, string>): {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', MAIN], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logs, exited };
}

describe('aggregator against Kafka', () => {
  const harness = new KafkaHarness();
  let uninterrupted: Map<string, ExpectedAggregate> | undefined;

  beforeAll(() => harness.connect());
  afterAll(() => harness.close());

  it('the dataset exercises the 25-hour day, duplicates, late and too-late readings and resets', () => {
    const day = [...expected.aggregates.values()].find(
      (a) => a.window === '1d' && a.windowStart === Date.parse('2026-10-24T22:00:00Z'),
    );
    expect(day && day.windowEnd - day.windowStart).toBe(25 * 3_600_000);
    expect(expected.duplicates).toBeGreaterThan(0);
    expect(expected.tooLate).toBeGreaterThan(0);
    const resetDay = [...expected.aggregates.values()].find(
      (a) => a.metric === 'water.volume_index' && a.window === '1d' && a.count > 20,
    );
    expect(resetDay?.consumption).toBeLessThan((resetDay?.max ?? 0) - (resetDay?.min ?? 0));
  });

  it('a dataset across the DST change yields the aggregates computed independently, then closes every window', async () => {
    const topics = await harness.createTopics(3);
    const groupId = uniqueName('tp-aggregator-test');
    await harness.produce(topics.readings, dataset);
    const out = await harness.readAggregates(topics.aggregates);
    // Devices silent for 2 s of processing time, once the backlog is read, close their windows.
    const config = loadConfig(serviceEnvironment(topics, groupId, { AGGREGATOR_IDLE_TIMEOUT_MS: '2000' }));
    const app = createKafkaAggregator(config, silentLogger);
    await app.start();
    try {
      await waitUntil('the aggregates to match', () => matches(finalState(out), expected.aggregates));
      expect(finalState(out)).toEqual(expected.aggregates);
      await waitUntil('every window to close', async () => (await counter(app, 'openWindows')) === 0);
      await waitUntil(
        'the input to be committed',
        async () => (await harness.committed(groupId, topics.readings)) === dataset.length,
      );
      expect(await counter(app, 'readings')).toBe(dataset.length);
      expect(await counter(app, 'windowDuplicates')).toBe(expected.duplicates);
      expect(await counter(app, 'windowTooLate')).toBe(expected.tooLate);
      // Every aggregate the metrics count is on the topic. A window that rested unchanged since
      // its last update closed without sending it again: fewer finals than windows.
      const published = await counter(app, 'aggregates');
      await waitUntil('every published aggregate to be read back', async () => out.length === published);
      expect(await counter(app, 'aggregates', 'final')).toBeLessThan(expected.aggregates.size);
      expect(app.health().status).toBe('ok');
      uninterrupted = finalState(out);
    } finally {
      await app.stop();
    }
  });

  it('after a SIGKILL mid-stream and a restart, every window ends as in the uninterrupted run', async () => {
    const topics = await harness.createTopics(3);
    const groupId = uniqueName('tp-aggregator-crash');
    const [part1, part2, part3] = [dataset.slice(0, 150), dataset.slice(150, 220), dataset.slice(220)];
    const out = await harness.readAggregates(topics.aggregates);
    const never = String(10 * 365 * DAY);

    // First life: one checkpoint, exactly at the end of part 1, then none.
    await harness.produce(topics.readings, part1);
    const first = spawnAggregator(
      serviceEnvironment(topics, groupId, {
        AGGREGATOR_IDLE_TIMEOUT_MS: never,
        AGGREGATOR_CHECKPOINT_INTERVAL_MS: String(3_600_000),
        AGGREGATOR_CHECKPOINT_MAX_MESSAGES: String(part1.length),
      }),
    );
    try {
      await waitUntil(
        'part 1 to be checkpointed',
        async () => (await harness.committed(groupId, topics.readings)) === part1.length,
        45_000,
      );
      await harness.produce(topics.readings, part2);
      const energy = [...part1, ...part2].filter((r) => r.metric === 'energy.active_energy_index');
      const latestTs = Math.max(...energy.map((r) => r.ts));
      await waitUntil('part 2 to be published', () =>
        out.some(
          (a) => a.metric === 'energy.active_energy_index' && a.window === '1d' && a.lastTs === latestTs,
        ),
      );
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    expect(await harness.committed(groupId, topics.readings)).toBe(part1.length);

    // Second life: restores the part 1 checkpoint, replays part 2, reads part 3.
    await harness.produce(topics.readings, part3);
    const second = spawnAggregator(
      serviceEnvironment(topics, groupId, { AGGREGATOR_IDLE_TIMEOUT_MS: never }),
    );
    try {
      await waitUntil(
        'everything to be committed',
        async () => (await harness.committed(groupId, topics.readings)) === dataset.length,
        45_000,
      );
      await waitUntil('the aggregates to match', () => matches(finalState(out), expected.aggregates));
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
    }
    const restored = second.logs
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.message === 'partitions restored');
    expect(restored?.checkpoints).toBeGreaterThan(0);
    expect(finalState(out)).toEqual(expected.aggregates);
    if (uninterrupted !== undefined) expect(finalState(out)).toEqual(uninterrupted);
  });
});
