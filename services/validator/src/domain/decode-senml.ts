import {
  type JsonValue,
  type ResolvedSenmlRecord,
  rejectionIssues,
  resolveSenmlPack,
  SenmlPack,
  senmlToReadings,
} from '@terrapulse/contracts';
import { type DecodedItem, type DecodedUplink, failure } from './decoded-uplink.js';

/**
 * Decodes a SenML pack for the device of the topic. The pack structure (records, base fields) is
 * all or nothing, because a broken record may carry the base name or time of the records after it;
 * once resolved, records are independent, so each one that cannot become a reading fails alone.
 * A record naming another device refuses the whole pack: that is a spoof, not a typo.
 *
 * @param receivedAtMs the bridge's receive time, the "now" of relative SenML times, so a replay
 * resolves to the same timestamps.
 */
export function decodeSenml(value: JsonValue, topicDeviceId: string, receivedAtMs: number): DecodedUplink {
  const pack = SenmlPack.safeParse(value);
  if (!pack.success) {
    return failure('SCHEMA_INVALID', 'payload is not a valid SenML pack', rejectionIssues(pack.error));
  }
  const resolved = resolveSenmlPack(pack.data, receivedAtMs / 1000);
  if (!resolved.ok) {
    return failure('SCHEMA_INVALID', `record ${resolved.index}: ${resolved.reason}`, [
      { path: String(resolved.index), message: resolved.reason },
    ]);
  }
  const { records } = resolved;
  if (records.length === 0) return failure('SCHEMA_INVALID', 'the pack carries no value');
  const whole = senmlToReadings(records, topicDeviceId);
  if (whole.ok) {
    return {
      ok: true,
      deviceId: topicDeviceId,
      items: whole.readings.map((reading, i) => ({
        ok: true,
        path: String(records[i]?.index ?? i),
        reading,
      })),
    };
  }
  return decodeRecordByRecord(records, topicDeviceId);
}

function decodeRecordByRecord(records: readonly ResolvedSenmlRecord[], topicDeviceId: string): DecodedUplink {
  const items: DecodedItem[] = [];
  for (const record of records) {
    const mapped = senmlToReadings([record], topicDeviceId);
    const path = String(record.index);
    if (mapped.ok) {
      for (const reading of mapped.readings) items.push({ ok: true, path, reading });
      continue;
    }
    const issues = [{ path, message: mapped.detail }];
    if (mapped.reason === 'IDENTITY_MISMATCH') {
      return failure('IDENTITY_MISMATCH', `record ${record.index}: ${mapped.detail}`, issues);
    }
    items.push({
      ok: false,
      path,
      reason: mapped.reason,
      detail: `record ${path}: ${mapped.detail}`,
      issues,
    });
  }
  return { ok: true, deviceId: topicDeviceId, items };
}
