import {
  DeviceId,
  EnvelopeReading,
  type JsonValue,
  ReadingEnvelope,
  type RejectionIssue,
  type RejectionReason,
  rejectionIssues,
} from '@terrapulse/contracts';
import type { z } from 'zod';
import { type DecodedItem, type DecodedUplink, failure } from './decoded-uplink.js';

type Issue = z.ZodError['issues'][number];

const toIssue = (issue: Issue): RejectionIssue => ({
  path: issue.path.map(String).join('.'),
  message: issue.message,
});

/** Which reason a schema issue inside one reading stands for; the catalogue has finer codes than zod. */
function reasonOfReadingIssue(issue: Issue, reading: unknown): RejectionReason {
  const field = issue.path[2];
  const input = typeof reading === 'object' && reading !== null ? (reading as Record<string, unknown>) : {};
  if (field === 'metric' && typeof input.metric === 'string') return 'UNKNOWN_METRIC';
  if (field === 'dims') return 'DIMENSION_INVALID';
  if (field === 'unit' && typeof input.unit === 'string') return 'UNIT_INVALID';
  return 'SCHEMA_INVALID';
}

/** SCHEMA_INVALID first: a reading that is not a reading says more than its unknown metric does. */
const PRECEDENCE: readonly RejectionReason[] = [
  'SCHEMA_INVALID',
  'UNKNOWN_METRIC',
  'DIMENSION_INVALID',
  'UNIT_INVALID',
];

function readingFailure(index: number, issues: readonly Issue[], reading: unknown): DecodedItem {
  const reasons = new Set(issues.map((issue) => reasonOfReadingIssue(issue, reading)));
  const reason = PRECEDENCE.find((r) => reasons.has(r)) ?? 'SCHEMA_INVALID';
  const metric = (reading as { metric?: unknown } | null)?.metric;
  const detail =
    reason === 'UNKNOWN_METRIC'
      ? `readings.${index}: unknown metric ${JSON.stringify(metric)}`
      : `readings.${index}: ${issues.map((issue) => `${toIssue(issue).path} ${issue.message}`).join('; ')}`;
  return { ok: false, path: `readings.${index}`, reason, detail, issues: issues.map(toIssue) };
}

/**
 * Decodes the native envelope. A message whose envelope is broken is refused whole; when only some
 * readings are broken, the others go on and each broken one gets its own failure item, so one typo
 * in a batch of 100 readings loses one reading, not 100.
 */
export function decodeEnvelope(value: JsonValue): DecodedUplink {
  const parsed = ReadingEnvelope.safeParse(value);
  if (parsed.success) {
    const { deviceId, ts, seq, readings } = parsed.data;
    return {
      ok: true,
      deviceId,
      ...(ts !== undefined && { envelopeTs: ts }),
      ...(seq !== undefined && { seq }),
      items: readings.map((reading, index) => ({ ok: true, path: `readings.${index}`, reading })),
    };
  }
  const byReading = new Map<number, Issue[]>();
  let envelopeLevel = false;
  for (const issue of parsed.error.issues) {
    const [head, index] = issue.path;
    if (head === 'readings' && typeof index === 'number' && issue.path.length >= 2) {
      const list = byReading.get(index) ?? [];
      list.push(issue);
      byReading.set(index, list);
    } else {
      envelopeLevel = true;
    }
  }
  if (envelopeLevel || byReading.size === 0) {
    return failure(
      'SCHEMA_INVALID',
      'payload is not a valid reading envelope',
      rejectionIssues(parsed.error),
    );
  }
  return decodePartially(value as { readings: unknown[] } & Record<string, unknown>, byReading);
}

/** The envelope itself is valid (no issue outside `readings.N`): keep the valid readings. */
function decodePartially(
  envelope: { readings: unknown[] } & Record<string, unknown>,
  byReading: ReadonlyMap<number, Issue[]>,
): DecodedUplink {
  const items: DecodedItem[] = [];
  const valid: unknown[] = [];
  for (const [index, reading] of envelope.readings.entries()) {
    const issues = byReading.get(index);
    if (issues === undefined) {
      valid.push(reading);
      const parsed = EnvelopeReading.safeParse(reading);
      // Cannot fail (zod reported no issue here); the check keeps the types honest.
      if (parsed.success) items.push({ ok: true, path: `readings.${index}`, reading: parsed.data });
    } else {
      items.push(readingFailure(index, issues, reading));
    }
  }
  // Re-parse the shell through the contract rather than trusting the raw object's fields.
  const shell =
    valid.length > 0
      ? ReadingEnvelope.safeParse({ ...envelope, readings: valid })
      : DeviceId.safeParse(envelope.deviceId);
  if (!shell.success) return failure('SCHEMA_INVALID', 'payload is not a valid reading envelope');
  if (typeof shell.data === 'string') return { ok: true, deviceId: shell.data, items };
  const { deviceId, ts, seq } = shell.data;
  return {
    ok: true,
    deviceId,
    ...(ts !== undefined && { envelopeTs: ts }),
    ...(seq !== undefined && { seq }),
    items,
  };
}
