import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@terrapulse/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { startValidatorService, type ValidatorService } from '../src/service.js';
import { deviceRecord } from './fixtures.js';
import { KafkaHarness, kafkaBrokers, type Outputs, type RawSpec, waitFor } from './kafka-harness.js';

const DEVICES = Array.from({ length: 12 }, (_, i) => `wm-restart-${i}`);
const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Publishes `total` one-reading messages, a burst every few ms, each with a unique seq. */
function publishStream(harness: KafkaHarness, total: number): { done: Promise<void> } {
  const done = (async () => {
    for (let seq = 0; seq < total; seq += 50) {
      const burst: RawSpec[] = [];
      for (let s = seq; s < Math.min(seq + 50, total); s += 1) {
        const deviceId = DEVICES[s % DEVICES.length] ?? 'wm-restart-0';
        burst.push({
          deviceId,
          payload: { v: 1, deviceId, seq: s, readings: [{ metric: 'water.flow', value: 1 }] },
        });
      }
      await harness.publishRaw(burst);
      // Paced over a few seconds: a fast consumer must still be mid-stream when it is stopped.
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
  })();
  return { done };
}

function seqCounts(outputs: Outputs): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { value } of outputs.readings)
    counts.set(value.sourceSeq ?? -1, (counts.get(value.sourceSeq ?? -1) ?? 0) + 1);
  return counts;
}

async function messagesProcessed(service: ValidatorService): Promise<number> {
  return (await service.metrics.messagesIn.get()).values[0]?.value ?? 0;
}

/** The validator as its own process, so that it can be killed without a chance to clean up. */
function spawnValidator(harness: KafkaHarness): ChildProcess {
  const config = harness.config();
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/main.ts'], {
    cwd: serviceDir,
    stdio: process.env.TEST_LOGS ? 'inherit' : 'ignore',
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      LOG_LEVEL: 'warn',
      OPS_PORT: '0',
      KAFKA_GROUP_ID: config.KAFKA_GROUP_ID,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      TOPIC_RAW: config.TOPIC_RAW,
      TOPIC_READINGS: config.TOPIC_READINGS,
      TOPIC_REJECTED: config.TOPIC_REJECTED,
      TOPIC_REGISTRY: config.TOPIC_REGISTRY,
    },
  });
}

async function waitUntilAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('validator restarts', () => {
  let harness: KafkaHarness;
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<Outputs> {
    harness = new KafkaHarness();
    await harness.setUp();
    cleanups.push(() => harness.tearDown());
    await harness.seed(DEVICES.map((deviceId) => deviceRecord({ deviceId })));
    return harness.collectOutputs();
  }

  async function startInProcess(): Promise<ValidatorService> {
    const service = await startValidatorService(harness.config({ KAFKA_SESSION_TIMEOUT_MS: '6000' }), {
      logger: silentLogger,
      processMetrics: false,
    });
    cleanups.push(() => service.stop());
    return service;
  }

  it('resumes from committed offsets after a graceful stop mid-stream, losing and repeating nothing', async () => {
    const outputs = await setUp();
    const total = 3_000;
    const first = await startInProcess();
    const stream = publishStream(harness, total);
    await waitFor(() => outputs.readings.length >= 600, 'the first instance to be mid-stream');
    await first.stop();
    const handled = await messagesProcessed(first);
    expect(handled).toBeLessThan(total);

    const second = await startInProcess();
    await stream.done;
    await waitFor(() => seqCounts(outputs).size === total, 'every reading', 45_000);
    // Every message was handled once: by the first instance, or after its last commit by the second.
    expect(handled + (await messagesProcessed(second))).toBe(total);
    expect([...seqCounts(outputs).values()].every((n) => n === 1)).toBe(true);
  });

  it('loses no message when killed with SIGKILL mid-stream, and replays only what was not committed', async () => {
    const outputs = await setUp();
    const total = 3_000;
    const child = spawnValidator(harness);
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const stream = publishStream(harness, total);
    await waitFor(() => outputs.readings.length >= 600, 'the killed instance to be mid-stream', 45_000);
    // Commits trail the outputs, more so on a loaded machine: kill once some are durable.
    let committed = 0;
    const commitsDurable = async (): Promise<boolean> => {
      committed = await harness.committedRaw();
      return committed >= 300;
    };
    await waitUntilAsync(commitsDurable, 45_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const committedAtKill = await harness.committedRaw();
    expect(committedAtKill).toBeLessThan(total);

    const second = await startInProcess();
    await stream.done;
    await waitFor(() => seqCounts(outputs).size === total, 'every reading', 45_000);
    expect([...seqCounts(outputs).keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: total }, (_, i) => i),
    );
    // The second instance started from the killed one's commits, not from the beginning.
    expect(await messagesProcessed(second)).toBe(total - committedAtKill);
  });
});
