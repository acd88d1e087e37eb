import { Kafka, logLevel } from 'kafkajs';
import { ensureCatalogueTopics } from './catalogue-topics.js';

/**
 * `node infra/runner/dist/create-topics-cli.js`: creates the catalogue topics on the brokers of
 * KAFKA_BROKERS (docker-compose's kafka-init runs it; the native runner does the same on `up`).
 */
async function main(): Promise<number> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter((b) => b !== '');
  if (brokers.length === 0) {
    console.error('create-topics: set KAFKA_BROKERS (host:port[,host:port])');
    return 2;
  }
  const replicationFactor = Number(process.env.KAFKA_REPLICATION_FACTOR ?? '1');
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    console.error('create-topics: KAFKA_REPLICATION_FACTOR must be a positive integer');
    return 2;
  }
  const admin = new Kafka({ clientId: 'tp-create-topics', brokers, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    const created = await ensureCatalogueTopics(admin, { replicationFactor });
    console.log(created.length > 0 ? `created ${created.join(', ')}` : 'every catalogue topic exists');
    return 0;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`create-topics failed: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
