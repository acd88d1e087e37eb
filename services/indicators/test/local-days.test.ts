import { describe, expect, it } from 'vitest';
import { dayRange, lastDays, localDate, localDayStart } from '../src/index.js';

const HOUR = 3_600_000;

describe('local days', () => {
  it('should start a Paris day at local midnight, 23 h long in spring and 25 h in autumn', () => {
    expect(localDayStart('2025-01-15', 'Europe/Paris')).toBe(Date.parse('2025-01-14T23:00:00Z'));
    const spring = dayRange('2025-03-30', '2025-03-30', 'Europe/Paris');
    expect(spring.end - spring.start).toBe(23 * HOUR);
    const autumn = dayRange('2025-10-26', '2025-10-26', 'Europe/Paris');
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
  });

  it('should cover the last N days up to the end of today', () => {
    const now = Date.parse('2025-03-31T10:00:00Z');
    const range = lastDays(now, 3, 'Europe/Paris');
    expect(range.start).toBe(Date.parse('2025-03-28T23:00:00Z'));
    expect(range.end).toBe(Date.parse('2025-03-31T22:00:00Z'));
    expect(localDate(range.start, 'Europe/Paris')).toBe('2025-03-29');
  });

  it('should refuse a bad date or an inverted range', () => {
    expect(() => localDayStart('2025-02-30', 'Europe/Paris')).toThrow(RangeError);
    expect(() => localDayStart('15/01/2025', 'Europe/Paris')).toThrow(RangeError);
    expect(() => dayRange('2025-01-16', '2025-01-15', 'Europe/Paris')).toThrow(RangeError);
  });
});
