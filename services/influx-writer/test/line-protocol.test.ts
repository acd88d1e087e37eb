import { describe, expect, it } from 'vitest';
import {
  aggregateLine,
  escapeMeasurement,
  escapeStringField,
  measurementNames,
  msToNs,
  readingLine,
  rejectionLine,
  tagText,
} from '../src/domain/line-protocol.js';
import { aggregate, reading } from './fixtures.js';

const names = measurementNames();

describe('line protocol escaping', () => {
  it('escapes commas and spaces in a measurement but not equals signs', () => {
    expect(escapeMeasurement('a b,c=d')).toBe('a\\ b\\,c=d');
  });

  it('escapes commas, equals signs and spaces in a tag', () => {
    expect(tagText('sp ace,co=eq')).toBe('sp\\ ace\\,co\\=eq');
    expect(tagText('plain-value')).toBe('plain-value');
  });

  it('escapes double quotes and backslashes in a string field and keeps line breaks', () => {
    expect(escapeStringField('say "hi" \\ now\nnext')).toBe('say \\"hi\\" \\\\ now\nnext');
  });

  it('refuses tags that line protocol cannot carry: empty, backslash, line break', () => {
    expect(tagText('')).toBeUndefined();
    expect(tagText('ends\\')).toBeUndefined();
    expect(tagText('in\\side, with a comma')).toBeUndefined();
    expect(tagText('two\nlines')).toBeUndefined();
    expect(tagText(42)).toBeUndefined();
    expect(tagText('°C and spaces, commas=ok')).toBe('°C\\ and\\ spaces\\,\\ commas\\=ok');
  });

  it('turns epoch milliseconds into nanoseconds without floating point', () => {
    expect(msToNs(1_772_360_100_000)).toBe('1772360100000000000');
    expect(msToNs(0)).toBe('0');
  });

  it('prefixes every measurement name', () => {
    expect(measurementNames('it_x_')).toEqual({
      reading: 'it_x_reading',
      aggregate_15m: 'it_x_aggregate_15m',
      aggregate_1h: 'it_x_aggregate_1h',
      aggregate_1d: 'it_x_aggregate_1d',
      rejection: 'it_x_rejection',
    });
  });
});

describe('reading points', () => {
  it('writes a reading as a float value tagged by its series, sorted, at its ts in ns', () => {
    const r = reading({ value: 2 });
    expect(readingLine(r, names)).toEqual({
      ok: true,
      measurement: 'reading',
      line:
        'reading,device=wm-0042,domain=water,metric=water.flow,site=ecole-jaures,tenant=lyon,unit=m3/h ' +
        `value=2 ${r.ts}000000`,
    });
  });

  it('adds each dimension as a tag in sorted position', () => {
    const r = reading({
      deviceId: 'tc-7',
      domain: 'mobility',
      metric: 'mobility.vehicle_count',
      unit: 'count',
      value: 3,
      dims: { vehicleClass: 'truck', axle: 'two wheels' },
    });
    const result = readingLine(r, names);
    expect(result.ok && result.line).toBe(
      'reading,axle=two\\ wheels,device=tc-7,domain=mobility,metric=mobility.vehicle_count,site=ecole-jaures,' +
        `tenant=lyon,unit=count,vehicleClass=truck value=3 ${r.ts}000000`,
    );
  });

  it('gives the same line for the same reading, so a replay overwrites the point', () => {
    expect(readingLine(reading(), names)).toEqual(readingLine(reading({ receivedAt: 1 }), names));
  });

  it('writes numbers JavaScript prints in exponent form as InfluxDB reads them', () => {
    const result = readingLine(reading({ value: 1.5e-7 }), names);
    expect(result.ok && result.line).toContain(' value=1.5e-7 ');
  });

  it('refuses a dimension named like a tag or field, which would shadow it', () => {
    expect(readingLine(reading({ dims: { device: 'other' } }), names)).toEqual({
      ok: false,
      problem: 'dimension device collides with a reserved tag or field',
    });
    expect(readingLine(reading({ dims: { time: 'x' } }), names).ok).toBe(false);
  });

  it('refuses a tag value ending in a backslash and a time past what InfluxDB stores', () => {
    expect(readingLine(reading({ dims: { vehicleClass: 'car\\' } }), names).ok).toBe(false);
    expect(readingLine(reading({ ts: 9_300_000_000_000 }), names).ok).toBe(false);
    expect(readingLine(reading({ value: Number.POSITIVE_INFINITY }), names).ok).toBe(false);
  });
});

describe('aggregate points', () => {
  it('writes every statistic, count as an integer, at the window start', () => {
    const a = aggregate();
    expect(aggregateLine(a, names)).toEqual({
      ok: true,
      measurement: 'aggregate_1h',
      line:
        'aggregate_1h,device=em-0007,domain=energy,metric=energy.active_energy_index,site=mairie,tenant=lyon,' +
        `unit=kWh count=4i,sum=4010,min=1000,max=1006,mean=1002.5,last=1006,consumption=7.5 ${a.windowStart}000000`,
    });
  });

  it('picks the measurement of the window and leaves out an absent consumption', () => {
    const a = aggregate({ window: '15m', kind: 'instantaneous', consumption: undefined });
    const result = aggregateLine(a, names);
    expect(result.ok && result.measurement).toBe('aggregate_15m');
    expect(result.ok && result.line).not.toContain('consumption');
    expect(aggregateLine(aggregate({ window: '1d' }), measurementNames('p_')).ok).toBe(true);
  });

  it('writes the aggregator resets counter as an integer when the record has one', () => {
    const result = aggregateLine({ ...aggregate(), resets: 1 }, names);
    expect(result.ok && result.line).toContain(',consumption=7.5,resets=1i ');
  });

  it('lands a recomputed window on the same point with the new values', () => {
    const first = aggregateLine(aggregate({ count: 3, computedAt: 1 }), names);
    const again = aggregateLine(aggregate({ count: 4, computedAt: 2 }), names);
    const key = (r: typeof first) => (r.ok ? `${r.line.split(' ')[0]} ${r.line.split(' ')[2]}` : '');
    expect(key(again)).toBe(key(first));
    expect(again.ok && again.line).toContain('count=4i');
  });

  it('refuses an unknown window and a fractional count', () => {
    expect(aggregateLine({ ...aggregate(), window: '5m' }, names)).toEqual({
      ok: false,
      problem: 'unknown window 5m',
    });
    expect(aggregateLine(aggregate({ count: 1.5 }), names).ok).toBe(false);
  });
});

describe('rejection points', () => {
  it('counts one rejection tagged by reason and device, with its detail as a string', () => {
    const result = rejectionLine(
      { reason: 'SCHEMA_INVALID', device: 'unknown', detail: 'bad "ts"', timestampNs: '1772360100000000042' },
      names,
    );
    expect(result).toEqual({
      ok: true,
      measurement: 'rejection',
      line: 'rejection,device=unknown,reason=SCHEMA_INVALID count=1i,detail="bad \\"ts\\"" 1772360100000000042',
    });
  });
});
