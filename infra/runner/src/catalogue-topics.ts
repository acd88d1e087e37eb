import { type TopicSpec, topicCatalogue } from '@terrapulse/contracts';
import type { Admin } from 'kafkajs';

/**
 * Creates the catalogue topics a cluster lacks, with their partitions, cleanup policy and
 * retention; leaves existing topics untouched. Auto-creation is off on every Terrapulse broker,
 * so this is how a cluster (native or Docker) gets its topics. Returns the names it created.
 */
export async function ensureCatalogueTopics(
  admin: Admin,
  options: { replicationFactor?: number; catalogue?: readonly TopicSpec[] } = {},
): Promise<string[]> {
  const catalogue = options.catalogue ?? topicCatalogue;
  const existing = new Set(await admin.listTopics());
  const missing = catalogue.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor: options.replicationFactor ?? 1,
      configEntries: [
        { name: 'cleanup.policy', value: t.cleanupPolicy },
        { name: 'retention.ms', value: String(t.retentionMs) },
        ...Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      ],
    })),
  });
  return missing.map((t) => t.name);
}
