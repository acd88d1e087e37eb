import { describe, expect, it } from 'vitest';
import { type WindowKind, windowBounds } from '../src/domain/index.js';
import { at, DAY, HOUR, MINUTE, seededRandom } from './fixtures.js';

const PARIS = 'Europe/Paris';

function isoBounds(ts: number, window: WindowKind, timeZone: string): [string, string] {
  const { start, end } = windowBounds(ts, window, timeZone);
  return [new Date(start).toISOString(), new Date(end).toISOString()];
}

/** Local calendar date of `ts` straight from Intl: the reference the day windows must match. */
function localDate(ts: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(ts);
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();

describe('windowBounds in Europe/Paris', () => {
  it('a winter day window runs from local midnight to the next local midnight (24 h)', () => {
    expect(isoBounds(at('2026-01-15T12:00:00Z'), '1d', PARIS)).toEqual([
      '2026-01-14T23:00:00.000Z',
      '2026-01-15T23:00:00.000Z',
    ]);
  });

  it('the spring-forward day 2026-03-29 is a 23 h window', () => {
    const { start, end } = windowBounds(at('2026-03-29T12:00:00Z'), '1d', PARIS);
    expect(new Date(start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(end - start).toBe(23 * HOUR);
  });

  it('the fall-back day 2026-10-25 is a 25 h window', () => {
    const { start, end } = windowBounds(at('2026-10-25T12:00:00Z'), '1d', PARIS);
    expect(new Date(start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(end - start).toBe(25 * HOUR);
  });

  it('the two local 02:00 hours of 2026-10-25 are two distinct 1 h windows', () => {
    // 02:30 CEST (+02:00) and 02:30 CET (+01:00): same wall clock, one hour apart.
    const summer = windowBounds(at('2026-10-25T00:30:00Z'), '1h', PARIS);
    const winter = windowBounds(at('2026-10-25T01:30:00Z'), '1h', PARIS);
    expect(summer).toEqual({ start: at('2026-10-25T00:00:00Z'), end: at('2026-10-25T01:00:00Z') });
    expect(winter).toEqual({ start: at('2026-10-25T01:00:00Z'), end: at('2026-10-25T02:00:00Z') });
  });

  it('15 min windows through the repeated hour of 2026-10-25 are contiguous and 15 min long', () => {
    let ts = at('2026-10-24T23:00:00Z');
    for (let i = 0; i < 16; i++) {
      const { start, end } = windowBounds(ts, '15m', PARIS);
      expect(start).toBe(ts);
      expect(end - start).toBe(15 * MINUTE);
      ts = end;
    }
  });

  it('the local hour skipped on 2026-03-29 leaves no hole: the 01:00 window is followed by the 03:00 one', () => {
    const one = windowBounds(at('2026-03-29T00:30:00Z'), '1h', PARIS);
    const three = windowBounds(one.end, '1h', PARIS);
    expect(one).toEqual({ start: at('2026-03-29T00:00:00Z'), end: at('2026-03-29T01:00:00Z') });
    expect(three).toEqual({ start: at('2026-03-29T01:00:00Z'), end: at('2026-03-29T02:00:00Z') });
  });

  it('an instant on a boundary belongs to the window that starts there', () => {
    const midnight = at('2026-06-14T22:00:00Z');
    expect(windowBounds(midnight, '1d', PARIS).start).toBe(midnight);
    expect(windowBounds(midnight - 1, '1d', PARIS).end).toBe(midnight);
    expect(windowBounds(midnight, '15m', PARIS)).toEqual({ start: midnight, end: midnight + 15 * MINUTE });
  });

  it('defaults to Europe/Paris', () => {
    const ts = at('2026-07-01T10:00:00Z');
    expect(windowBounds(ts, '1d')).toEqual(windowBounds(ts, '1d', PARIS));
  });
});

describe('windowBounds in other time zones', () => {
  it('UTC windows are the epoch-aligned buckets', () => {
    const ts = at('2026-05-05T13:47:12.345Z');
    expect(isoBounds(ts, '15m', 'UTC')).toEqual(['2026-05-05T13:45:00.000Z', '2026-05-05T14:00:00.000Z']);
    expect(isoBounds(ts, '1h', 'UTC')).toEqual(['2026-05-05T13:00:00.000Z', '2026-05-05T14:00:00.000Z']);
    expect(isoBounds(ts, '1d', 'UTC')).toEqual(['2026-05-05T00:00:00.000Z', '2026-05-06T00:00:00.000Z']);
  });

  it('Asia/Kolkata (+05:30) 1 h windows start at half past the UTC hour and 15 min windows stay on quarters', () => {
    const ts = at('2026-05-05T13:47:00Z'); // 19:17 local
    expect(isoBounds(ts, '1h', 'Asia/Kolkata')).toEqual([
      '2026-05-05T13:30:00.000Z',
      '2026-05-05T14:30:00.000Z',
    ]);
    expect(isoBounds(ts, '15m', 'Asia/Kolkata')).toEqual([
      '2026-05-05T13:45:00.000Z',
      '2026-05-05T14:00:00.000Z',
    ]);
    expect(isoBounds(ts, '1d', 'Asia/Kolkata')).toEqual([
      '2026-05-04T18:30:00.000Z',
      '2026-05-05T18:30:00.000Z',
    ]);
  });

  it('Australia/Adelaide (+10:30 to +09:30 on 2026-04-05) keeps 1 h windows on half hours and has a 25 h day', () => {
    // DST ends at 03:00 local ACDT = 2026-04-04T16:30Z; the local 02:00 hour happens twice.
    const first = windowBounds(at('2026-04-04T16:00:00Z'), '1h', 'Australia/Adelaide');
    const second = windowBounds(at('2026-04-04T17:00:00Z'), '1h', 'Australia/Adelaide');
    expect(first).toEqual({ start: at('2026-04-04T15:30:00Z'), end: at('2026-04-04T16:30:00Z') });
    expect(second).toEqual({ start: at('2026-04-04T16:30:00Z'), end: at('2026-04-04T17:30:00Z') });
    const day = windowBounds(at('2026-04-05T00:00:00Z'), '1d', 'Australia/Adelaide');
    expect(day).toEqual({ start: at('2026-04-04T13:30:00Z'), end: at('2026-04-05T14:30:00Z') });
  });

  it('Australia/Lord_Howe cuts the 1 h window at its 30 min DST shift rather than overlap it', () => {
    // 2026-04-05 02:00 +11:00 becomes 01:30 +10:30 at 2026-04-04T15:00Z.
    expect(windowBounds(at('2026-04-04T14:50:00Z'), '1h', 'Australia/Lord_Howe')).toEqual({
      start: at('2026-04-04T14:00:00Z'),
      end: at('2026-04-04T15:00:00Z'),
    });
    expect(windowBounds(at('2026-04-04T15:10:00Z'), '1h', 'Australia/Lord_Howe')).toEqual({
      start: at('2026-04-04T15:00:00Z'),
      end: at('2026-04-04T15:30:00Z'),
    });
  });

  it('an unknown time zone is a RangeError', () => {
    expect(() => windowBounds(0, '1h', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('a non-finite timestamp is a RangeError', () => {
    expect(() => windowBounds(Number.NaN, '1h', PARIS)).toThrow(RangeError);
  });
});

describe('windowBounds as a partition of the timeline', () => {
  const zones = ['Europe/Paris', 'UTC', 'Asia/Kolkata', 'Australia/Adelaide', 'Australia/Lord_Howe'];
  const kinds: WindowKind[] = ['15m', '1h', '1d'];

  for (const zone of zones) {
    it(`windows of 2026 in ${zone} follow each other without gap or overlap`, () => {
      const faults: string[] = [];
      for (const kind of kinds) {
        let previous = windowBounds(at('2026-01-01T00:00:00Z'), kind, zone);
        while (previous.end < at('2027-01-01T00:00:00Z')) {
          const next = windowBounds(previous.end, kind, zone);
          const lastInstant = windowBounds(next.end - 1, kind, zone);
          if (next.start !== previous.end || lastInstant.start !== next.start || next.end <= next.start) {
            faults.push(`${kind} at ${new Date(previous.end).toISOString()}`);
          }
          previous = next;
        }
      }
      expect(faults).toEqual([]);
    });
  }

  it('day windows agree with the local date Intl gives, for random instants in several zones', () => {
    const random = seededRandom(7);
    for (const zone of zones) {
      for (let i = 0; i < 200; i++) {
        const ts = at('2020-01-01T00:00:00Z') + Math.floor(random() * 8 * 365 * DAY);
        const { start, end } = windowBounds(ts, '1d', zone);
        const date = localDate(ts, zone);
        expect([localDate(start, zone), localDate(end - 1, zone)]).toEqual([date, date]);
        expect(localDate(start - 1, zone)).not.toBe(date);
        expect(localDate(end, zone)).not.toBe(date);
      }
    }
  });
});
