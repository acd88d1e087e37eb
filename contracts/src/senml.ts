import { z } from 'zod';
import { MAX_READINGS_PER_MESSAGE } from './limits.js';

/**
 * SenML JSON (RFC 8428), the second uplink format, for devices and gateways that already speak it.
 * Terrapulse naming convention (see senml-readings.ts): `bn` = `urn:dev:tp:{deviceId}:` and
 * `n` = a metric id, optionally followed by `/{dimension value}`, e.g.
 * `[{"bn":"urn:dev:tp:wm-0042:","bt":1718000000,"n":"water.volume_index","u":"m3","v":1234.5}]`.
 */

/** RFC 8428 §4.4: a reader must not use a pack whose version is above the one it implements. */
export const SENML_VERSION = 10;

/** Labels of RFC 8428 §6; `l` (link) comes from the RFC 8428 links extension. */
export const SenmlRecord = z
  .object({
    bn: z
      .string()
      .max(256)
      .optional()
      .describe('Base name, prepended to the names of this and later records'),
    bt: z.number().optional().describe('Base time (s), added to the times of this and later records'),
    bu: z.string().max(32).optional().describe('Base unit, for records without a unit'),
    bv: z.number().optional().describe('Base value, added to the values of this and later records'),
    bs: z.number().optional().describe('Base sum, added to the sums of this and later records'),
    bver: z.int().min(1).max(SENML_VERSION).optional().describe('SenML version; 10 when absent'),
    n: z.string().max(256).optional().describe('Name, appended to the base name'),
    u: z.string().max(32).optional().describe('Unit'),
    v: z.number().optional().describe('Numeric value'),
    vs: z.string().max(1024).optional().describe('String value'),
    vb: z.boolean().optional().describe('Boolean value'),
    vd: z.string().max(1024).optional().describe('Data value (base64url)'),
    s: z.number().optional().describe('Sum of the values over time'),
    t: z.number().optional().describe('Time (s): absolute if >= 2**28, otherwise relative to now'),
    ut: z.number().optional().describe('Maximum time (s) before the next update'),
    l: z.string().max(1024).optional().describe('Links'),
  })
  // RFC 8428 §4.4: unknown labels are ignored, except those ending in `_` which must be understood.
  .catchall(z.unknown())
  .superRefine((record, ctx) => {
    for (const label of Object.keys(record)) {
      if (label.endsWith('_')) {
        ctx.addIssue({
          code: 'custom',
          path: [label],
          message: `must-understand label ${label} is not supported`,
        });
      }
    }
    const valueFields = ['v', 'vs', 'vb', 'vd'].filter((label) => record[label] !== undefined);
    if (valueFields.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a record carries at most one value, got ${valueFields.join(', ')}`,
      });
    }
  })
  .describe('SenML record');
export type SenmlRecord = z.infer<typeof SenmlRecord>;

export const SenmlPack = z
  .array(SenmlRecord)
  .min(1)
  .max(MAX_READINGS_PER_MESSAGE)
  .describe('SenML pack (application/senml+json, RFC 8428)');
export type SenmlPack = z.infer<typeof SenmlPack>;

/** A record with base fields applied and an absolute time; RFC 8428 §4.6. */
export interface ResolvedSenmlRecord {
  /** Position of the record in the pack, to point error messages at it. */
  readonly index: number;
  readonly name: string;
  readonly unit?: string;
  readonly value?: number;
  readonly boolValue?: boolean;
  readonly stringValue?: string;
  readonly dataValue?: string;
  readonly sum?: number;
  /** Seconds since the Unix epoch, possibly fractional. */
  readonly time: number;
}

export type SenmlResolution =
  | { ok: true; records: ResolvedSenmlRecord[] }
  | { ok: false; index: number; reason: string };

/** RFC 8428 §4.5.1. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-:./_]*$/;

/** RFC 8428 §4.5.3: smaller times are relative to the moment the pack is read. */
export const SENML_RELATIVE_TIME_LIMIT = 2 ** 28;

function hasValue(record: SenmlRecord): boolean {
  return (
    record.v !== undefined ||
    record.vs !== undefined ||
    record.vb !== undefined ||
    record.vd !== undefined ||
    record.s !== undefined
  );
}

/**
 * Resolves a pack (RFC 8428 §4.6): each base field applies to its record and all later ones until
 * redefined; name = bn + n, time = bt + t (relative when below 2**28, taken from `nowSec`),
 * value = bv + v, sum = bs + s, unit = u or else bu. `nowSec` is an argument so the result is a
 * pure function of the message: pass the bridge's receive time and a replay resolves identically.
 * Records that carry no value are base-field carriers and do not appear in the result. The result
 * is in chronological order, as §4.6 requires of resolved packs (stable for equal times).
 */
export function resolveSenmlPack(pack: SenmlPack, nowSec: number): SenmlResolution {
  let baseName = '';
  let baseTime = 0;
  let baseUnit: string | undefined;
  let baseValue = 0;
  let baseSum = 0;
  const records: ResolvedSenmlRecord[] = [];
  for (const [index, record] of pack.entries()) {
    if (record.bn !== undefined) baseName = record.bn;
    if (record.bt !== undefined) baseTime = record.bt;
    if (record.bu !== undefined) baseUnit = record.bu;
    if (record.bv !== undefined) baseValue = record.bv;
    if (record.bs !== undefined) baseSum = record.bs;
    if (!hasValue(record)) continue;

    const name = baseName + (record.n ?? '');
    if (!NAME_PATTERN.test(name)) {
      return { ok: false, index, reason: `resolved name ${JSON.stringify(name)} is not a valid SenML name` };
    }
    const rawTime = baseTime + (record.t ?? 0);
    const time = rawTime < SENML_RELATIVE_TIME_LIMIT ? nowSec + rawTime : rawTime;
    const unit = record.u ?? baseUnit;
    records.push({
      index,
      name,
      time,
      ...(unit !== undefined && { unit }),
      ...(record.v !== undefined && { value: baseValue + record.v }),
      ...(record.vb !== undefined && { boolValue: record.vb }),
      ...(record.vs !== undefined && { stringValue: record.vs }),
      ...(record.vd !== undefined && { dataValue: record.vd }),
      ...(record.s !== undefined && { sum: baseSum + record.s }),
    });
  }
  records.sort((a, b) => a.time - b.time);
  return { ok: true, records };
}
