import { Aggregate as AggregateContract } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Aggregate,
  type ApplyResult,
  WindowStore,
  type WindowStoreOptions,
} from '../src/domain/index.js';
import { at, HOUR, MINUTE, reading } from './fixtures.js';

function store(options: WindowStoreOptions = {}): WindowStore {
  return new WindowStore({ timeZone: 'UTC', allowedLatenessMs: HOUR, clock: () => 0, ...options });
}

/** `window@HH:MM` of an aggregate's start, to name windows readably in assertions. */
function label(aggregate: Aggregate): string {
  return `${aggregate.window}@${new Date(aggregate.windowStart).toISOString().slice(11, 16)}`;
}

/** Latest emitted aggregate per window across a run. */
function latest(results: readonly ApplyResult[]): Map<string, Aggregate> {
  const byWindow = new Map<string, Aggregate>();
  for (const result of results)
    for (const a of [...result.updates, ...result.closed]) byWindow.set(label(a), a);
  return byWindow;
}

describe('WindowStore emission', () => {
  it('consumption across a window boundary goes to the window of the later reading, without gaps', () => {
    const s = store({ windows: ['15m', '1h'] });
    const results = [
      s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 100 })),
      s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 105 })),
      s.apply(reading({ ts: at('2026-03-02T10:35:00Z'), value: 112 })),
      s.apply(reading({ ts: at('2026-03-02T11:05:00Z'), value: 120 })),
    ];
    const consumption = Object.fromEntries([...latest(results)].map(([k, a]) => [k, a.consumption]));
    expect(consumption).toEqual({
      '15m@10:00': 0,
      '15m@10:15': 5,
      '15m@10:30': 7,
      '15m@11:00': 8,
      '1h@10:00': 12,
      '1h@11:00': 8,
    });
  });

  it('an aggregate carries the series identity, the window and its time zone', () => {
    const s = store({ windows: ['1h'] });
    const [update] = s.apply(
      reading({
        ts: at('2026-03-02T10:10:00Z'),
        value: 7,
        domain: 'water',
        metric: 'water.flow',
        kind: 'instantaneous',
        unit: 'm3/h',
        dims: { pipe: 'north' },
      }),
    ).updates;
    expect(update).toEqual({
      deviceId: 'meter-1',
      tenant: 'commune-a',
      site: 'school-jules-ferry',
      domain: 'water',
      metric: 'water.flow',
      kind: 'instantaneous',
      unit: 'm3/h',
      dims: { pipe: 'north' },
      window: '1h',
      windowStart: at('2026-03-02T10:00:00Z'),
      windowEnd: at('2026-03-02T11:00:00Z'),
      count: 1,
      sum: 7,
      min: 7,
      max: 7,
      mean: 7,
      last: 7,
      lastTs: at('2026-03-02T10:10:00Z'),
      timezone: 'UTC',
      computedAt: 0,
    });
    expect(AggregateContract.safeParse(update).success).toBe(true);
  });

  it('a late reading within the allowed lateness corrects its window and re-emits the next window', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: 30 * MINUTE });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 110 }));
    s.apply(reading({ ts: at('2026-03-02T10:35:00Z'), value: 130 }));

    const late = s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 104 }));
    expect(late.tooLate).toEqual([]);
    expect(late.updates.map((a) => [label(a), a.count, a.consumption])).toEqual([
      ['15m@10:00', 2, 4],
      ['15m@10:15', 1, 6],
    ]);

    // Not the last of its window: the next window's chain is unchanged, so it is not re-emitted.
    const earlier = s.apply(reading({ ts: at('2026-03-02T10:02:00Z'), value: 99 }));
    expect(earlier.updates.map((a) => [label(a), a.count, a.consumption])).toEqual([['15m@10:00', 3, 5]]);
  });

  it('a reading beyond the allowed lateness is reported too_late and changes nothing', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: 30 * MINUTE });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    const advance = s.apply(reading({ ts: at('2026-03-02T11:00:00Z'), value: 120 }));
    expect(advance.closed.map(label)).toEqual(['15m@10:00']);

    const tooLate = s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 101 }));
    expect(tooLate).toEqual({ updates: [], closed: [], tooLate: ['15m'], duplicates: [] });
    expect(s.openWindowCount).toBe(1);
  });

  it('a reading too late for its 15 min window still completes its 1 h window', () => {
    const s = store({ windows: ['15m', '1h'], allowedLatenessMs: 0 });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    s.apply(reading({ ts: at('2026-03-02T10:40:00Z'), value: 110 }));
    const result = s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 104 }));
    expect(result.tooLate).toEqual(['15m']);
    expect(result.updates.map((a) => [label(a), a.count])).toEqual([['1h@10:00', 3]]);
  });

  it('the chain of a window whose predecessor was evicted starts at the carried last reading', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: 0 });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 103 }));
    const result = s.apply(reading({ ts: at('2026-03-02T10:50:00Z'), value: 110 }));
    expect(result.closed.map((a) => [label(a), a.consumption])).toEqual([['15m@10:00', 3]]);
    expect(result.updates.map((a) => [label(a), a.consumption])).toEqual([['15m@10:45', 7]]);
  });

  it('a duplicate reading is reported per window and emits nothing', () => {
    const s = store();
    const first = reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 });
    s.apply(first);
    expect(s.apply({ ...first })).toEqual({
      updates: [],
      closed: [],
      tooLate: [],
      duplicates: ['15m', '1h', '1d'],
    });
  });

  it('non-cumulative metrics carry no consumption and do not re-emit the next window', () => {
    const s = store({ windows: ['15m'] });
    const power = { metric: 'energy.active_power', kind: 'instantaneous', unit: 'W' } as const;
    s.apply(reading({ ...power, ts: at('2026-03-02T10:05:00Z'), value: 1_500 }));
    s.apply(reading({ ...power, ts: at('2026-03-02T10:20:00Z'), value: 900 }));
    const late = s.apply(reading({ ...power, ts: at('2026-03-02T10:10:00Z'), value: 1_200 }));
    expect(late.updates.map((a) => [label(a), a.mean, a.consumption])).toEqual([
      ['15m@10:00', 1_350, undefined],
    ]);
  });

  it('a non-finite reading is rejected without touching any window', () => {
    const s = store();
    expect(s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: Number.NaN })).rejected).toBe(
      'non_finite',
    );
    expect(s.openWindowCount).toBe(0);
  });

  it('series of one device differ by their dimensions', () => {
    const s = store({ windows: ['1h'] });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1, dims: { phase: 'L1' } }));
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 2, dims: { phase: 'L2' } }));
    expect([s.seriesCount, s.openWindowCount]).toEqual([2, 2]);
  });

  it('the time zone can be chosen per tenant', () => {
    const s = new WindowStore({
      windows: ['1h'],
      timeZone: (r) => (r.tenant === 'pune' ? 'Asia/Kolkata' : 'Europe/Paris'),
    });
    const [paris] = s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1 })).updates;
    const [pune] = s.apply(
      reading({ deviceId: 'm2', tenant: 'pune', ts: at('2026-03-02T10:05:00Z'), value: 1 }),
    ).updates;
    expect([paris?.timezone, paris?.windowStart]).toEqual(['Europe/Paris', at('2026-03-02T10:00:00Z')]);
    expect([pune?.timezone, pune?.windowStart]).toEqual(['Asia/Kolkata', at('2026-03-02T09:30:00Z')]);
  });
});

describe('WindowStore coalesced emission', () => {
  it('marks changed windows instead of returning updates, and drains each once with its latest state', () => {
    const s = store({ windows: ['15m'], emit: 'coalesce' });
    for (const [minute, value] of [
      [1, 100],
      [4, 103],
      [7, 110],
    ] as const) {
      expect(s.apply(reading({ ts: at('2026-03-02T10:00:00Z') + minute * MINUTE, value })).updates).toEqual(
        [],
      );
    }
    expect(s.drainChanged().map((a) => [label(a), a.count, a.last, a.consumption])).toEqual([
      ['15m@10:00', 3, 110, 10],
    ]);
    expect(s.drainChanged()).toEqual([]);
  });

  it('a changed window closed before the drain is reported once, in closed, not drained', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: 0, emit: 'coalesce' });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    const result = s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 104 }));
    expect(result.closed.map(label)).toEqual(['15m@10:00']);
    expect(s.drainChanged().map(label)).toEqual(['15m@10:15']);
  });

  it('a late reading that becomes the last of its window marks the next window changed', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: HOUR, emit: 'coalesce' });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 110 }));
    s.drainChanged();
    s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 104 }));
    expect(s.drainChanged().map((a) => [label(a), a.consumption])).toEqual([
      ['15m@10:00', 4],
      ['15m@10:15', 6],
    ]);
  });
});

describe('WindowStore watermarks and memory', () => {
  it('eviction keeps memory bounded: after 10,000 windows only the open ones remain', () => {
    const s = store();
    const start = at('2026-01-01T00:00:00Z');
    let closed = 0;
    for (let i = 0; i < 10_000; i++) {
      closed += s.apply(reading({ ts: start + i * 15 * MINUTE, value: i })).closed.length;
    }
    // Last reading at day 104 03:45: 15 min windows ending after 02:45 (5), 1 h windows ending after
    // 02:45 (2), today (1).
    expect(s.openWindowCount).toBe(8);
    expect(closed + s.openWindowCount).toBe(10_000 + 2_500 + 105);
  });

  it('one device catching up on a backlog does not make other devices late', () => {
    const s = store({ allowedLatenessMs: 0 });
    s.apply(reading({ deviceId: 'live', ts: at('2026-03-02T12:00:00Z'), value: 1 }));
    const backlog = s.apply(reading({ deviceId: 'batch', ts: at('2026-03-02T08:00:00Z'), value: 1 }));
    expect(backlog.tooLate).toEqual([]);
    expect(s.watermarkOf('live')).toBe(at('2026-03-02T12:00:00Z'));
  });

  it('the watermark trails the greatest event time by the out-of-orderness', () => {
    const s = store({ windows: ['15m'], allowedLatenessMs: 0, outOfOrdernessMs: 10 * MINUTE });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1 }));
    s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 2 }));
    expect(s.watermarkOf('meter-1')).toBe(at('2026-03-02T10:10:00Z'));
    expect(s.apply(reading({ ts: at('2026-03-02T10:07:00Z'), value: 1.5 })).tooLate).toEqual([]);
    expect(s.apply(reading({ ts: at('2026-03-02T10:30:00Z'), value: 3 })).closed.map(label)).toEqual([
      '15m@10:00',
    ]);
  });

  it('advanceWatermark closes the windows of a device that fell silent', () => {
    const s = store({ windows: ['15m', '1h'] });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    expect(s.advanceWatermark(at('2026-03-02T11:15:00Z')).map(label)).toEqual(['15m@10:00']);
    expect(s.advanceWatermark(at('2026-03-02T12:00:00Z')).map(label)).toEqual(['1h@10:00']);
    expect([s.openWindowCount, s.oldestOpenWindowStart()]).toEqual([0, undefined]);
  });

  it('closeIdle keeps a replayed device open while it sends and closes it once it falls silent', () => {
    let now = Date.parse('2026-11-28T12:00:00Z');
    const s = store({ windows: ['15m', '1h'], clock: () => now });
    // Readings from weeks ago, arriving now: a replay or a gateway catching up.
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    now += 60_000;
    s.apply(reading({ ts: at('2026-03-02T10:20:00Z'), value: 101 }));
    expect(s.closeIdle(now, 15 * MINUTE)).toEqual([]);
    expect(s.apply(reading({ ts: at('2026-03-02T10:25:00Z'), value: 102 })).tooLate).toEqual([]);
    now += 15 * MINUTE;
    expect(
      s
        .closeIdle(now, 15 * MINUTE)
        .map(label)
        .sort(),
    ).toEqual(['15m@10:00', '15m@10:15', '1h@10:00']);
    expect(s.openWindowCount).toBe(0);
    // A reading for a closed window is too late, never a partial window overwriting the final one.
    expect(s.apply(reading({ ts: at('2026-03-02T10:26:00Z'), value: 103 })).tooLate).toEqual(['15m', '1h']);
  });

  it('with a close grace, readings reordered by hours of event time all count, and a closed window stays closed', () => {
    let now = 1_000_000;
    const s = store({ windows: ['15m', '1h'], closeGraceMs: 10_000, clock: () => now });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1 }));
    // A reading five hours later arrives first: without the grace it would close 10:00 at once.
    expect(s.apply(reading({ ts: at('2026-03-02T15:05:00Z'), value: 5 })).closed).toEqual([]);
    expect(s.apply(reading({ ts: at('2026-03-02T10:10:00Z'), value: 2 })).tooLate).toEqual([]);
    now += 10_001;
    const closed = s.closeIdle(now, 3_600_000).map(label).sort();
    expect(closed).toEqual(['15m@10:00', '1h@10:00']);
    expect(s.apply(reading({ ts: at('2026-03-02T10:12:00Z'), value: 3 })).tooLate).toEqual(['15m', '1h']);
    // The 10:00 windows closed with both readings.
    expect(s.openWindowCount).toBe(2);
  });

  it('with a close grace, a due window closes at the first reading after it has rested, not before', () => {
    let now = 1_000_000;
    const s = store({ windows: ['15m'], closeGraceMs: 10_000, clock: () => now });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1 }));
    // 10:00 is due (an hour of lateness past its end) but rests: nothing closes yet.
    expect(s.apply(reading({ ts: at('2026-03-02T12:05:00Z'), value: 2 })).closed).toEqual([]);
    now += 5_000;
    // A late reading into 10:00 touches it again: its grace starts over.
    expect(s.apply(reading({ ts: at('2026-03-02T10:07:00Z'), value: 3 })).tooLate).toEqual([]);
    now += 6_000;
    expect(s.apply(reading({ ts: at('2026-03-02T12:10:00Z'), value: 4 })).closed).toEqual([]);
    // A late reading opens 10:30, due at once and resting from now, behind 10:00.
    expect(s.apply(reading({ ts: at('2026-03-02T10:31:00Z'), value: 5 })).tooLate).toEqual([]);
    now += 4_000;
    const first = s.apply(reading({ ts: at('2026-03-02T12:11:00Z'), value: 6 })).closed;
    expect(first.map(label)).toEqual(['15m@10:00']);
    expect(first[0]?.count).toBe(2);
    now += 5_999;
    expect(s.apply(reading({ ts: at('2026-03-02T12:12:00Z'), value: 7 })).closed).toEqual([]);
    now += 1;
    expect(s.apply(reading({ ts: at('2026-03-02T12:13:00Z'), value: 8 })).closed.map(label)).toEqual([
      '15m@10:30',
    ]);
  });

  it('with a close grace, a late reading that opens a due window behind only pending ones closes it once rested', () => {
    let now = 1_000_000;
    const s = store({ windows: ['15m'], closeGraceMs: 10_000, clock: () => now });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 1 }));
    s.apply(reading({ ts: at('2026-03-02T12:05:00Z'), value: 2 }));
    now += 10_000;
    // 10:00 closes; 12:00 is left, not due: no window rests any more.
    expect(s.apply(reading({ ts: at('2026-03-02T12:06:00Z'), value: 3 })).closed.map(label)).toEqual([
      '15m@10:00',
    ]);
    expect(s.apply(reading({ ts: at('2026-03-02T10:31:00Z'), value: 4 })).tooLate).toEqual([]);
    now += 10_000;
    expect(s.apply(reading({ ts: at('2026-03-02T12:07:00Z'), value: 5 })).closed.map(label)).toEqual([
      '15m@10:30',
    ]);
  });

  it('reports the start of its oldest open window', () => {
    const s = store({ windows: ['15m', '1d'] });
    s.apply(reading({ ts: at('2026-03-02T10:05:00Z'), value: 100 }));
    expect(s.oldestOpenWindowStart()).toBe(at('2026-03-02T00:00:00Z'));
  });
});
