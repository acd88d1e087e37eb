import { describe, expect, it } from 'vitest';
import { LocalClock } from '../src/domain/local-time.js';

/** The offset straight from Intl, the slow way the clock caches. */
function intlOffset(ts: number, format: Intl.DateTimeFormat): number {
  const parts = format.formatToParts(new Date(ts));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - ts;
}

describe('local clock', () => {
  for (const zone of ['Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns']) {
    it(`should agree with Intl every quarter hour of 2026 in ${zone}`, () => {
      const clock = new LocalClock(zone);
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      const mismatches: string[] = [];
      const start = Date.UTC(2026, 0, 1);
      for (let ts = start; ts < Date.UTC(2027, 0, 1); ts += 15 * 60_000) {
        const expected = intlOffset(ts, format);
        if (clock.offsetAt(ts) !== expected) mismatches.push(new Date(ts).toISOString());
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('should give Paris local hours and weekdays across the autumn clock change', () => {
    const clock = new LocalClock('Europe/Paris');
    // 2026-10-25 is a Sunday; 01:00 UTC is 03:00 summer time, which becomes 02:00 winter time.
    expect(clock.fields(Date.parse('2026-10-25T00:30:00Z'))).toMatchObject({ weekday: 6, hour: 2.5 });
    expect(clock.fields(Date.parse('2026-10-25T01:30:00Z'))).toMatchObject({ weekday: 6, hour: 2.5 });
    expect(clock.fields(Date.parse('2026-10-25T23:00:00Z'))).toMatchObject({ weekday: 0, hour: 0 });
  });
});
