import { describe, expect, it } from 'vitest';
import {
  MAX_REJECTION_ISSUES,
  ReadingEnvelope,
  Rejection,
  RejectionReason,
  rejectionIssues,
  rejectionReasonDescriptions,
} from '../src/index.js';

const valid: Rejection = {
  reason: 'VALUE_OUT_OF_RANGE',
  detail: 'water.pressure value 80 bar is outside [-1, 25]',
  issues: [{ path: 'readings.0.value', message: 'out of range' }],
  topic: 'terrapulse/v1/devices/ps-3/up/json',
  deviceIdHint: 'ps-3',
  receivedAt: 1_750_000_000_000,
  rawBase64: Buffer.from('{"v":1}').toString('base64'),
  source: { partition: 4, offset: '18446744073709551615' },
};

describe('RejectionReason', () => {
  it('describes every reason code', () => {
    for (const code of RejectionReason.options) expect(rejectionReasonDescriptions[code]).toMatch(/\.$/);
    expect(Object.keys(rejectionReasonDescriptions).sort()).toEqual([...RejectionReason.options].sort());
  });

  it('includes the codes the validator and bridge rely on', () => {
    for (const code of ['MALFORMED_PAYLOAD', 'IDENTITY_MISMATCH', 'TIMESTAMP_TOO_OLD', 'UNIT_INVALID']) {
      expect(RejectionReason.options).toContain(code);
    }
  });
});

describe('Rejection', () => {
  it('accepts a dead letter with an int64 offset kept exact as a string', () => {
    expect(Rejection.safeParse(valid).success).toBe(true);
  });

  it('accepts a dead letter of an unparseable topic, without hint or issues', () => {
    const { deviceIdHint: _h, issues: _i, ...rest } = valid;
    expect(Rejection.safeParse({ ...rest, reason: 'TOPIC_INVALID', topic: 'x/y' }).success).toBe(true);
  });

  it('rejects an unknown reason, bytes that are not base64 and a numeric offset', () => {
    expect(Rejection.safeParse({ ...valid, reason: 'BAD' }).success).toBe(false);
    expect(Rejection.safeParse({ ...valid, rawBase64: 'not base64!' }).success).toBe(false);
    expect(Rejection.safeParse({ ...valid, source: { partition: 0, offset: 12 } }).success).toBe(false);
  });

  it('flattens zod issues into bounded path and message pairs', () => {
    const readings = Array.from({ length: 30 }, () => ({ metric: 'nope', value: 'x' }));
    const parsed = ReadingEnvelope.safeParse({ v: 1, deviceId: 'ab', readings: readings.slice(0, 1) });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(rejectionIssues(parsed.error)[0]?.path).toMatch(/^readings\.0\./);
    const many = ReadingEnvelope.safeParse({ v: 1, deviceId: 'ab', readings: readings.slice(0, 25) });
    expect(many.success).toBe(false);
    if (!many.success) expect(rejectionIssues(many.error)).toHaveLength(MAX_REJECTION_ISSUES);
  });
});
