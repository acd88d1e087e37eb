import { readFile } from 'node:fs/promises';
import { createJsonLogger, createKafka } from '@terrapulse/service-kit';
import { loadSeedConfig } from './config.js';
import { parseDeviceSeed, publishDeviceRecords } from './registry-seed.js';

/**
 * `node dist/seed-main.js devices.json`: publishes a fleet's device records to registry.devices,
 * the stand-in for the registry service. Exit 1 when a record is invalid (nothing is published),
 * 2 on a usage or file error.
 */
const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: node dist/seed-main.js path/to/devices.json\n');
  process.exit(2);
}
const config = loadSeedConfig(process.env);
const logger = createJsonLogger({ service: 'validator-seed', level: config.LOG_LEVEL });

let json: unknown;
try {
  json = JSON.parse(await readFile(path, 'utf8'));
} catch (error) {
  process.stderr.write(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const seed = parseDeviceSeed(json);
if (!seed.ok) {
  for (const problem of seed.problems) {
    const where =
      problem.index < 0
        ? path
        : `${path} [${problem.index}]${problem.deviceId ? ` ${problem.deviceId}` : ''}`;
    for (const issue of problem.issues) process.stderr.write(`${where} ${issue.path}: ${issue.message}\n`);
  }
  process.stderr.write(`${seed.problems.length} invalid record(s); nothing published\n`);
  process.exit(1);
}

const producer = createKafka({
  brokers: config.KAFKA_BROKERS,
  clientId: 'tp-validator-seed',
  logger,
}).producer({
  idempotent: true,
  allowAutoTopicCreation: false,
});
try {
  await producer.connect();
  await publishDeviceRecords(producer, config.TOPIC_REGISTRY, seed.records);
  process.stdout.write(`published ${seed.records.length} device record(s) to ${config.TOPIC_REGISTRY}\n`);
} finally {
  await producer.disconnect();
}
