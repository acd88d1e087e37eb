import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceRecord } from '@terrapulse/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceRecord, trafficCounter } from './fixtures.js';
import { KafkaHarness, kafkaBrokers, uniqueName, waitFor } from './kafka-harness.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const harness = new KafkaHarness();
let dir: string;

function runSeed(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/seed-main.ts', file],
    {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        TOPIC_REGISTRY: harness.topics.registry,
      },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function registryContent(): Promise<Map<string, DeviceRecord>> {
  const records = new Map<string, DeviceRecord>();
  const groupId = uniqueName('tp-validator-test-seed');
  const consumer = harness.kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: harness.topics.registry, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = DeviceRecord.parse(JSON.parse(message.value?.toString() ?? ''));
      expect(message.key?.toString()).toBe(record.deviceId);
      records.set(record.deviceId, record);
    },
  });
  try {
    await waitFor(() => records.size >= 2, 'the seeded records');
  } finally {
    await consumer.disconnect();
    const admin = harness.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
  return records;
}

async function messagesInRegistry(): Promise<number> {
  const admin = harness.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(harness.topics.registry);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  await harness.setUp();
  dir = await mkdtemp(join(tmpdir(), 'tp-seed-'));
});

afterAll(async () => {
  await harness.tearDown();
  await rm(dir, { recursive: true, force: true });
});

describe('registry seed CLI', () => {
  it('refuses a file with an invalid record, naming its index, and publishes nothing', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify([deviceRecord(), { ...trafficCounter(), metrics: [] }]));
    const result = await runSeed(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[1] tc-0001 metrics');
    expect(result.stderr).toContain('nothing published');
    expect(await messagesInRegistry()).toBe(0);
  });

  it('publishes every record of a valid file keyed by device id', async () => {
    const file = join(dir, 'devices.json');
    await writeFile(file, JSON.stringify([deviceRecord(), trafficCounter()]));
    const result = await runSeed(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('published 2 device record(s)');
    const records = await registryContent();
    expect([...records.keys()].sort()).toEqual(['tc-0001', 'wm-0001']);
    expect(await messagesInRegistry()).toBe(2);
  });
});
