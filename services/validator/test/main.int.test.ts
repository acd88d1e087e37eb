import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from '@terrapulse/infra-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceRecord } from './fixtures.js';
import { KafkaHarness, waitFor } from './kafka-harness.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const harness = new KafkaHarness();
let child: ChildProcessWithoutNullStreams;
let logs = '';

/** main.ts as an operator runs it: the local servers' env file, overridden onto this test's topics. */
beforeAll(async () => {
  await harness.setUp();
  await harness.seed([deviceRecord()]);
  const config = harness.config();
  child = spawn(
    process.execPath,
    [
      `--env-file=${join(repositoryRoot, '.terrapulse/terrapulse.env')}`,
      '--import',
      'tsx',
      '--conditions=source',
      'src/main.ts',
    ],
    {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH,
        OPS_PORT: '0',
        KAFKA_GROUP_ID: config.KAFKA_GROUP_ID,
        TOPIC_RAW: config.TOPIC_RAW,
        TOPIC_READINGS: config.TOPIC_READINGS,
        TOPIC_REJECTED: config.TOPIC_REJECTED,
        TOPIC_REGISTRY: config.TOPIC_REGISTRY,
      },
    },
  );
  child.stdout.on('data', (chunk) => {
    logs += chunk;
  });
  child.stderr.on('data', (chunk) => {
    logs += chunk;
  });
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await harness.tearDown();
});

describe('validator main', () => {
  it('starts from the env file, serves /healthz, and exits 0 soon after SIGTERM', async () => {
    await waitFor(() => logs.includes('"validator running"'), 'the validator to run');
    const port = Number(/"message":"ops endpoint listening".*?"port":(\d+)/.exec(logs)?.[1]);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i += 1) {
      status = (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    expect(logs).not.toContain('"level":"warn"');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const stopAsked = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(8_000);
    expect(logs).toContain('"message":"stopped"');
  });
});
