import { describe, expect, it } from 'vitest';
import { resolveSenmlPack, SenmlPack, type SenmlResolution } from '../src/index.js';

const NOW = 1_750_000_000;

function resolved(pack: unknown, nowSec = NOW) {
  const result: SenmlResolution = resolveSenmlPack(SenmlPack.parse(pack), nowSec);
  if (!result.ok) throw new Error(result.reason);
  return result.records;
}

describe('SenmlPack', () => {
  it('accepts the multiple-datapoints example of RFC 8428 section 5.1.2', () => {
    const pack = [
      {
        bn: 'urn:dev:ow:10e2073a0108006:',
        bt: 1.276020076001e9,
        bu: 'A',
        bver: 5,
        n: 'voltage',
        u: 'V',
        v: 120.1,
      },
      { n: 'current', t: -5, v: 1.2 },
    ];
    expect(SenmlPack.safeParse(pack).success).toBe(true);
  });

  it('ignores unknown labels but refuses must-understand labels ending in _', () => {
    expect(SenmlPack.safeParse([{ n: 'a', v: 1, foo: 'bar' }]).success).toBe(true);
    expect(SenmlPack.safeParse([{ n: 'a', v: 1, rt_: 'x' }]).success).toBe(false);
  });

  it('refuses a record with two values', () => {
    expect(SenmlPack.safeParse([{ n: 'a', v: 1, vb: true }]).success).toBe(false);
  });

  it('refuses a version above 10, which this reader must not use', () => {
    expect(SenmlPack.safeParse([{ bver: 11, n: 'a', v: 1 }]).success).toBe(false);
  });

  it('refuses a non-array, an empty pack and mistyped fields', () => {
    expect(SenmlPack.safeParse({ n: 'a', v: 1 }).success).toBe(false);
    expect(SenmlPack.safeParse([]).success).toBe(false);
    expect(SenmlPack.safeParse([{ n: 'a', v: '1' }]).success).toBe(false);
    expect(SenmlPack.safeParse([{ n: 'a', vb: 1 }]).success).toBe(false);
  });
});

describe('resolveSenmlPack', () => {
  it('resolves the RFC 8428 example to its resolved form', () => {
    const records = resolved([
      {
        bn: 'urn:dev:ow:10e2073a0108006:',
        bt: 1.276020076001e9,
        bu: 'A',
        bver: 5,
        n: 'voltage',
        u: 'V',
        v: 120.1,
      },
      { n: 'current', t: -5, v: 1.2 },
      { n: 'current', t: -4, v: 1.3 },
      { n: 'current', t: -3, v: 1.4 },
      { n: 'current', t: -2, v: 1.5 },
      { n: 'current', t: -1, v: 1.6 },
      { n: 'current', v: 1.7 },
    ]);
    const expected = [
      ['current', 1.276020071001e9, 1.2],
      ['current', 1.276020072001e9, 1.3],
      ['current', 1.276020073001e9, 1.4],
      ['current', 1.276020074001e9, 1.5],
      ['current', 1.276020075001e9, 1.6],
      ['voltage', 1.276020076001e9, 120.1],
      ['current', 1.276020076001e9, 1.7],
    ] as const;
    expect(records.map((r) => [r.name.split(':').at(-1), r.time, r.value])).toEqual(expected);
    expect(records.every((r) => r.name.startsWith('urn:dev:ow:10e2073a0108006:'))).toBe(true);
    expect(records.find((r) => r.name.endsWith('voltage'))?.unit).toBe('V');
    expect(records.filter((r) => r.name.endsWith('current')).every((r) => r.unit === 'A')).toBe(true);
  });

  it('reads times below 2**28 as relative to now', () => {
    const records = resolved([
      { n: 'dev:x', v: 1, t: -10 },
      { n: 'dev:y', v: 2 },
    ]);
    expect(records.map((r) => r.time)).toEqual([NOW - 10, NOW]);
  });

  it('adds a relative base time to now and a record time to it', () => {
    expect(resolved([{ bt: -60, n: 'dev:x', v: 1, t: 30 }])[0]?.time).toBe(NOW - 30);
  });

  it('adds the base value and base sum to the values and sums of later records', () => {
    const records = resolved([
      { bn: 'dev:', bt: 1.7e9, bv: 1000, bs: 10, n: 'a', v: 1 },
      { n: 'a', t: 1, v: 2 },
      { n: 'b', t: 2, s: 5 },
    ]);
    expect(records.map((r) => [r.value, r.sum])).toEqual([
      [1001, undefined],
      [1002, undefined],
      [undefined, 15],
    ]);
  });

  it('lets a later record redefine a base field for the records after it', () => {
    const records = resolved([
      { bn: 'one:', bu: 'm3', bt: 1.7e9, n: 'a', v: 1 },
      { bn: 'two:', n: 'a', v: 2, t: 1 },
      { n: 'a', u: 'L', v: 3, t: 2 },
    ]);
    expect(records.map((r) => [r.name, r.unit])).toEqual([
      ['one:a', 'm3'],
      ['two:a', 'm3'],
      ['two:a', 'L'],
    ]);
  });

  it('drops records that only carry base fields', () => {
    const records = resolved([
      { bn: 'dev:', bt: 1.7e9 },
      { n: 'a', v: 1 },
    ]);
    expect(records).toEqual([{ index: 1, name: 'dev:a', time: 1.7e9, value: 1 }]);
  });

  it('keeps boolean, string and data values apart from numeric ones', () => {
    const records = resolved([
      { bn: 'dev:', bt: 1.7e9, n: 'b', vb: true },
      { n: 's', vs: 'open' },
      { n: 'd', vd: 'AQI' },
    ]);
    expect(records.map((r) => [r.boolValue, r.stringValue, r.dataValue, r.value])).toEqual([
      [true, undefined, undefined, undefined],
      [undefined, 'open', undefined, undefined],
      [undefined, undefined, 'AQI', undefined],
    ]);
  });

  it('orders records chronologically and remembers their position in the pack', () => {
    const records = resolved([
      { bn: 'dev:', bt: 1.7e9, n: 'late', v: 1, t: 10 },
      { n: 'early', v: 2 },
    ]);
    expect(records.map((r) => [r.name, r.index])).toEqual([
      ['dev:early', 1],
      ['dev:late', 0],
    ]);
  });

  it('fails on a resolved name that is empty or has forbidden characters', () => {
    expect(resolveSenmlPack([{ v: 1 }], NOW)).toMatchObject({ ok: false, index: 0 });
    expect(
      resolveSenmlPack(
        [
          { bn: 'dev:', v: 1 },
          { n: 'a b', v: 2 },
        ],
        NOW,
      ),
    ).toMatchObject({ ok: false, index: 1 });
    expect(resolveSenmlPack([{ n: '-a', v: 1 }], NOW).ok).toBe(false);
  });
});
