import { DeviceRecord } from '@terrapulse/contracts';

/** One outbox stream entry as Redis returns it: [id, [field, value, field, value...]]. */
export type OutboxEntry = readonly [id: string, fields: readonly string[]];

export interface OutboxMessage {
  readonly key: string;
  readonly value: string;
}

export interface OutboxBatch {
  /** Kafka messages in stream order: kafkajs keeps the order per partition, so per device too. */
  readonly messages: OutboxMessage[];
  /** Every entry id of the batch, published or not, to delete once Kafka acknowledged. */
  readonly ids: string[];
  /** Entries that are not a valid device record: skipped (never published) and reported. */
  readonly invalid: Array<{ id: string; reason: string }>;
}

function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * Turns outbox entries into the records of registry.devices (key = deviceId, value = the record
 * JSON the validator's directory reads), keeping their order. Pure, so the ordering rule is tested
 * without servers.
 */
export function outboxBatch(entries: readonly OutboxEntry[]): OutboxBatch {
  const batch: OutboxBatch = { messages: [], ids: [], invalid: [] };
  for (const [id, fields] of entries) {
    batch.ids.push(id);
    const deviceId = field(fields, 'deviceId');
    const record = field(fields, 'record');
    if (deviceId === undefined || record === undefined) {
      batch.invalid.push({ id, reason: 'missing deviceId or record field' });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(record);
    } catch {
      batch.invalid.push({ id, reason: 'record is not JSON' });
      continue;
    }
    const checked = DeviceRecord.safeParse(parsed);
    if (!checked.success || checked.data.deviceId !== deviceId) {
      batch.invalid.push({
        id,
        reason: checked.success ? 'deviceId does not match the record' : checked.error.message,
      });
      continue;
    }
    batch.messages.push({ key: deviceId, value: record });
  }
  return batch;
}
