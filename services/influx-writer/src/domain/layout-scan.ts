import { numberEnd } from './json-number.js';
import { CLOSE } from './json-string.js';
import { F, type Field, fieldValue, forgetFields, skipString } from './record-fields.js';

/**
 * The compact scan of a record in the very layout its producer writes: a reading as the
 * validator's encodeReading writes it, an aggregate as the aggregator's aggregateJson does (keys
 * in their order, `sourceSeq` or `consumption` last when there). Why: nearly every record comes
 * so, and matching each key's bytes in place is cheaper than finding every key's field by its
 * hash, as the general scan (compact-scan.ts) must. Any other layout, even one byte off, is left
 * to the general scan, which reads the same values the same way (fieldValue), so both note the
 * same fields at the same places for a record both accept.
 */

/** A step's value the point does not need: a plain string, or a number. */
const SKIP_STRING = -1;
const SKIP_NUMBER = -2;

/** A key with the bytes before its value (`{"deviceId":`, `,"tenant":`) and what its value is. */
interface Step {
  readonly key: Uint8Array;
  readonly field: Field | typeof SKIP_STRING | typeof SKIP_NUMBER;
}
interface Layout {
  readonly steps: readonly Step[];
  /** The optional last key. */
  readonly last: Step;
}

function layout(
  keys: ReadonlyArray<[string, Step['field']]>,
  [lastKey, lastField]: [string, Step['field']],
): Layout {
  const step = (name: string, field: Step['field'], first: boolean): Step => ({
    key: Buffer.from(`${first ? '{' : ','}"${name}":`, 'latin1'),
    field,
  });
  return {
    steps: keys.map(([name, field], i) => step(name, field, i === 0)),
    last: step(lastKey, lastField, false),
  };
}

const SERIES_KEYS: ReadonlyArray<[string, Step['field']]> = [
  ['deviceId', F.deviceId],
  ['tenant', F.tenant],
  ['site', F.site],
  ['domain', F.domain],
  ['metric', F.metric],
  ['kind', SKIP_STRING],
  ['unit', F.unit],
];
const READING = layout(
  [...SERIES_KEYS, ['value', F.value], ['ts', F.ts], ['receivedAt', SKIP_NUMBER], ['dims', F.dims]],
  ['sourceSeq', SKIP_NUMBER],
);
const AGGREGATE = layout(
  [
    ...SERIES_KEYS,
    ['dims', F.dims],
    ['window', F.window],
    ['windowStart', F.windowStart],
    ['windowEnd', SKIP_NUMBER],
    ['count', F.count],
    ['sum', F.sum],
    ['min', F.min],
    ['max', F.max],
    ['mean', F.mean],
    ['last', F.last],
    ['lastTs', SKIP_NUMBER],
    ['timezone', SKIP_STRING],
    ['computedAt', SKIP_NUMBER],
  ],
  ['consumption', F.consumption],
);

/**
 * Scans a record in its producer's layout, noting its fields (record-fields.ts); false when it
 * is in any other layout (or holds a value the compact path does not take).
 */
export function scanLayout(stream: 'readings' | 'aggregates', bytes: Uint8Array): boolean {
  forgetFields();
  const { steps, last } = stream === 'readings' ? READING : AGGREGATE;
  const n = bytes.length;
  let i = 0;
  for (let s = 0; s <= steps.length; s++) {
    let step: Step;
    if (s < steps.length) step = steps[s] as Step;
    else if (i < n && bytes[i] !== CLOSE) step = last;
    else break;
    const { key, field } = step;
    if (i + key.length > n) return false;
    for (let k = 0; k < key.length; k++) if (bytes[i + k] !== key[k]) return false;
    i += key.length;
    if (field >= 0) i = fieldValue(bytes, i, field as Field);
    else i = field === SKIP_STRING ? skipString(bytes, i) : numberEnd(bytes, i);
    if (i < 0) return false;
  }
  return i + 1 === n && bytes[i] === CLOSE;
}
