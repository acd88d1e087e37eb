import { randomUUID } from 'node:crypto';
import { Rejection } from '@terrapulse/contracts';
import type { Kafka } from 'kafkajs';

/**
 * Reads a dead-letter topic from the beginning until `enough` says so (or 60 s
 * pass), validating every record against the Rejection contract.
 */
export async function readRejections(
  kafka: Kafka,
  topic: string,
  enough: (seen: readonly Rejection[]) => boolean,
  timeoutMs = 60_000,
): Promise<Rejection[]> {
  const consumer = kafka.consumer({ groupId: `tp-test-rejections-${randomUUID()}` });
  const seen: Rejection[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const parsed = Rejection.safeParse(JSON.parse(message.value?.toString() ?? 'null'));
        if (!parsed.success) throw new Error(`a dead letter breaks the contract: ${parsed.error.message}`);
        seen.push(parsed.data);
        if (enough(seen)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}
