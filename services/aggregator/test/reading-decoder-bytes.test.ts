import { MetricId, metricCatalogue } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { type DecodedReading, ReadingDecoder } from '../src/reading-decoder.js';
import { type SeriesFields, seriesText } from '../src/reading-layout.js';
import { seededRandom } from './fixtures.js';

const T0 = Date.parse('2026-10-20T10:00:00Z');
const q = JSON.stringify;

/** The fields a series repeats, spelled as a record may hold them (not always valid). */
interface Series extends SeriesFields {
  dims: Record<string, string>;
}

/** Characters that take every JSON string form: ASCII, multi-byte UTF-8, escapes, a lone surrogate. */
const CHARS = [
  'a',
  'z',
  '0',
  '-',
  ' ',
  'é',
  '€',
  '😀',
  '"',
  '\\',
  '/',
  '\n',
  '\u0000',
  '\u001f',
  '\u2028',
  '\ud800',
  '\ufffd',
];
/** Number texts of every JSON form, those the contract refuses and some that are not JSON numbers. */
const VALUES = [
  '0',
  '-0',
  '1',
  '-1',
  '0.5',
  '-0.125',
  '2.50',
  '-0.0',
  '1E5',
  '1e+5',
  '1e-7',
  '0.1e1',
  '1e22',
  '1e23',
  '1e-22',
  '1e-23',
  '5e-324',
  '1.7976931348623157e308',
  '1e309',
  '-1e309',
  '123456789012345',
  '1234567890123456',
  '9007199254740993',
  '123456789012345e7',
  '0.30000000000000004',
  '01',
  '1.',
  '.5',
  '+1',
  '1e',
  '"1"',
  'null',
];
const TIMES = [
  '0',
  '-0',
  `${T0}.0`,
  `${T0}e0`,
  `${T0 / 1000}e3`,
  '8640000000000000',
  '8640000000000001',
  '-1',
  `${T0}.5`,
  '1e3',
  '999999999999999',
  '"1"',
];
const SEQS = ['0', '-0', '7', '1e2', '12.0', '-3', '"5"', '999999999999999', '1234567890123456', 'null'];

function generator(seed: number) {
  const random = seededRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const text = (length: number) => Array.from({ length }, () => pick(CHARS)).join('');

  function series(n: number): Series {
    const metric = pick(MetricId.options);
    const { domain, kind, unit } = metricCatalogue[metric];
    const dims: Record<string, string> = {};
    if (chance(0.5))
      dims.vehicleClass = chance(0.5) ? pick(['car', 'bus']) : text(1 + Math.floor(random() * 6));
    if (chance(0.2)) dims[chance(0.8) ? 'phase' : 'bad name'] = text(1 + Math.floor(random() * 4));
    const invalid = chance(0.15);
    return {
      // Device ids outside the contract too: non-ASCII, escaped characters.
      deviceId: invalid && chance(0.5) ? `dev${text(3)}` : `dev-${n % 7}`,
      tenant: 'commune-a',
      site: `site-${n % 3}`,
      domain,
      metric,
      kind,
      unit: invalid && chance(0.5) ? 'kWh?' : unit,
      dims,
    };
  }

  function number(forms: readonly string[], normal: () => number, p = 0.25): string {
    return chance(p) ? pick(forms) : String(normal());
  }

  /** A record of the series in the validator layout, with numbers of any form. */
  function record(s: Series): string {
    const value = number(VALUES, () => Math.round((random() - 0.5) * 1e6) / 10 ** Math.floor(random() * 9));
    const ts = number(TIMES, () => T0 + Math.floor(random() * 1e6), 0.1);
    const receivedAt = number(TIMES, () => T0 + Math.floor(random() * 1e6), 0.1);
    const seq = chance(0.5) ? '' : `,"sourceSeq":${number(SEQS, () => Math.floor(random() * 1e6), 0.2)}`;
    return `${seriesText(s)},"value":${value},"ts":${ts},"receivedAt":${receivedAt},"dims":${q(s.dims)}${seq}}`;
  }

  /** The record one step off its layout: a byte changed, whitespace, other key order, truncated... */
  function nearMiss(text: string, s: Series): Buffer {
    const bytes = Buffer.from(text);
    const seriesLength = Buffer.byteLength(text.slice(0, text.indexOf(',"value":')));
    const at = (length: number) => Math.floor(random() * length);
    switch (Math.floor(random() * 9)) {
      case 0: // one byte of the series text, to anything (invalid UTF-8 included)
        bytes[at(seriesLength)] = Math.floor(random() * 256);
        return bytes;
      case 1: {
        // one byte anywhere, to a near one
        const i = at(bytes.length);
        bytes[i] = (bytes[i] ?? 0) + (chance(0.5) ? 1 : -1);
        return bytes;
      }
      case 2: // truncated
        return Buffer.from(bytes.subarray(0, at(bytes.length)));
      case 3: {
        const cut = at(bytes.length);
        return Buffer.concat([
          bytes.subarray(0, cut),
          Buffer.from(pick([' ', '\n', '\t'])),
          bytes.subarray(cut),
        ]);
      }
      case 4: // another key order
        return Buffer.from(text.replace(/("value":[^,]*),("ts":[^,]*)/, '$2,$1'));
      case 5: // the same string, escaped otherwise
        return Buffer.from(text.replace('"commune-a"', '"commune\\u002da"').replace('é', '\\u00e9'));
      case 6: // invalid UTF-8 where the text has U+FFFD: the same text, other bytes
        return withoutReplacement(bytes);
      case 7:
        return Buffer.from(q({ ...s, value: 1, ts: T0, receivedAt: T0, extra: 1 }));
      default:
        return Buffer.concat([bytes, Buffer.from(pick([' ', '}', ',"sourceSeq":1}']))]);
    }
  }

  return { random, series, record, nearMiss };
}

/** The bytes with U+FFFD's first UTF-8 as one invalid byte, which decodes to U+FFFD too. */
function withoutReplacement(bytes: Buffer): Buffer {
  const at = bytes.indexOf(REPLACEMENT);
  if (at < 0) return bytes;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + REPLACEMENT.length)]);
}
const REPLACEMENT = Buffer.from('\ufffd');

/** Wraps a record so that decoding it to text is counted. */
function counted(bytes: Buffer, count: { text: number }): Buffer {
  const original = bytes.toString;
  Object.defineProperty(bytes, 'toString', {
    value(this: Buffer, ...args: unknown[]) {
      if (args[0] === 'utf8') count.text++;
      return (original as (...a: unknown[]) => string).apply(this, args);
    },
  });
  return bytes;
}

/** Deep-equal, with the same key order and -0 kept apart from 0. */
function expectSame(actual: DecodedReading, expected: DecodedReading, label: string): void {
  expect(actual, label).toStrictEqual(expected);
  if (actual.ok && expected.ok) {
    expect(Object.keys(actual.reading), label).toEqual(Object.keys(expected.reading));
    for (const key of ['value', 'ts', 'receivedAt', 'sourceSeq'] as const)
      expect(Object.is(actual.reading[key], expected.reading[key]), `${label}: ${key}`).toBe(true);
  }
}

describe('reading decoder from bytes', () => {
  it('should decode every record, in the layout or one step off it, as JSON.parse and the contract do', () => {
    for (const seed of [1, 2, 3]) {
      const { random, series, record, nearMiss } = generator(seed);
      const pool = Array.from({ length: 40 }, (_, n) => series(n));
      const decoder = new ReadingDecoder();
      const reference = new ReadingDecoder({ matchBytes: false });
      const count = { text: 0 };
      let accepted = 0;
      const records = 6_000;
      for (let i = 0; i < records; i++) {
        const s = pool[Math.floor(random() * pool.length)] as Series;
        const text = record(s);
        const bytes = random() < 0.25 ? nearMiss(text, s) : Buffer.from(text);
        const label = `seed ${seed}, record ${i}: ${bytes.toString('utf8')}`;
        const expected = reference.decode(Buffer.from(bytes));
        const actual = decoder.decode(counted(bytes, count));
        expectSame(actual, expected, label);
        if (actual.ok) accepted++;
      }
      // The byte path did take most accepted records: they were not decoded to text.
      expect(accepted).toBeGreaterThan(records / 3);
      expect(count.text).toBeLessThan(records - accepted / 2);
    }
  });

  it('should decode the later records of a known series without decoding them to text', () => {
    const power = metricCatalogue['energy.active_power'];
    const dims = q({ vehicleClass: 'é"\\😀\ud800\n' });
    const first =
      `{"deviceId":"em-1","tenant":"commune-a","site":"mairie","domain":"energy","metric":"energy.active_power"` +
      `,"kind":${q(power.kind)},"unit":${q(power.unit)},"value":1,"ts":${T0},"receivedAt":${T0},"dims":${dims}}`;
    const decoder = new ReadingDecoder();
    const count = { text: 0 };
    expect(decoder.decode(counted(Buffer.from(first), count)).ok).toBe(true);
    expect(count.text).toBe(1);
    for (const later of [
      first.replace('"value":1', '"value":-0'),
      first.replace('"value":1', '"value":2.5e-3').replace(`"ts":${T0}`, `"ts":${T0 + 1}`),
      first.replace('"value":1', '"value":1e300'),
      first.replace('"value":1', '"value":12345678901234567890'),
      first.replace('}}', '},"sourceSeq":0}'),
      first.replace('}}', '},"sourceSeq":999999999999999}'),
    ]) {
      const decoded = decoder.decode(counted(Buffer.from(later), count));
      expectSame(decoded, { ok: true, reading: JSON.parse(later) }, later);
    }
    expect(count.text).toBe(1);
  });

  it('should leave a record that is not UTF-8 to JSON.parse, and still match its series on its bytes', () => {
    const vehicles = metricCatalogue['mobility.vehicle_count'];
    const text =
      `{"deviceId":"tc-1","tenant":"commune-a","site":"mairie","domain":"mobility"` +
      `,"metric":"mobility.vehicle_count","kind":${q(vehicles.kind)},"unit":${q(vehicles.unit)}` +
      `,"value":3,"ts":${T0},"receivedAt":${T0},"dims":${q({ vehicleClass: 'b\ufffd' })}}`;
    const decoder = new ReadingDecoder();
    const count = { text: 0 };
    expectSame(
      decoder.decode(counted(Buffer.from(text), count)),
      { ok: true, reading: JSON.parse(text) },
      text,
    );
    const bad = withoutReplacement(Buffer.from(text));
    expect(bad.length).toBe(Buffer.byteLength(text) - 2);
    const expected = { ok: true as const, reading: JSON.parse(bad.toString('utf8')) };
    const actual = decoder.decode(counted(bad, count));
    expectSame(actual, expected, 'invalid UTF-8');
    expect(actual.ok).toBe(true);
    expect(count.text).toBe(2);
    // The valid record of the series is still matched on its bytes.
    const later = text.replace('"value":3', '"value":4');
    expectSame(
      decoder.decode(counted(Buffer.from(later), count)),
      { ok: true, reading: JSON.parse(later) },
      later,
    );
    expect(count.text).toBe(2);
  });
});
