import { DeviceRecord, type RejectionIssue, rejectionIssues } from '@terrapulse/contracts';
import type { Producer } from 'kafkajs';

export interface SeedProblem {
  /** Position of the record in the seed array. */
  readonly index: number;
  readonly deviceId?: string;
  readonly issues: readonly RejectionIssue[];
}

export type DeviceSeed =
  | { readonly ok: true; readonly records: DeviceRecord[] }
  | { readonly ok: false; readonly problems: SeedProblem[] };

/**
 * Validates a seed file's content: a JSON array of DeviceRecords, each with the contract, and no
 * device twice (on a compacted topic the second would silently win). All or nothing: a seed with
 * a bad record publishes nothing, so a fleet never starts half registered.
 */
export function parseDeviceSeed(json: unknown): DeviceSeed {
  if (!Array.isArray(json)) {
    return {
      ok: false,
      problems: [{ index: -1, issues: [{ path: '', message: 'expected a JSON array of device records' }] }],
    };
  }
  const records: DeviceRecord[] = [];
  const problems: SeedProblem[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of json.entries()) {
    const parsed = DeviceRecord.safeParse(item);
    const claimed = (item as { deviceId?: unknown } | null)?.deviceId;
    const deviceId = typeof claimed === 'string' ? claimed : undefined;
    if (!parsed.success) {
      problems.push({
        index,
        ...(deviceId !== undefined && { deviceId }),
        issues: rejectionIssues(parsed.error),
      });
      continue;
    }
    const first = seen.get(parsed.data.deviceId);
    if (first !== undefined) {
      const message = `device ${parsed.data.deviceId} is already at index ${first}`;
      problems.push({ index, deviceId: parsed.data.deviceId, issues: [{ path: 'deviceId', message }] });
      continue;
    }
    seen.set(parsed.data.deviceId, index);
    records.push(parsed.data);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records };
}

/** Messages per request: well under the broker's 1 MiB record batch with ~1 KB records. */
const CHUNK = 500;

/** Publishes records to the registry topic, key = deviceId, acknowledged by all replicas. */
export async function publishDeviceRecords(
  producer: Producer,
  topic: string,
  records: readonly DeviceRecord[],
): Promise<void> {
  for (let start = 0; start < records.length; start += CHUNK) {
    const messages = records
      .slice(start, start + CHUNK)
      .map((record) => ({ key: record.deviceId, value: JSON.stringify(record) }));
    await producer.send({ topic, acks: -1, messages });
  }
}
