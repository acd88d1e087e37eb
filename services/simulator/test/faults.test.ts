import { describe, expect, it } from 'vitest';
import { createFaultPlanner, parseFaultSpec } from '../src/domain/faults.js';

describe('fault spec', () => {
  it('should read probabilities, percentages, counts and the lateness', () => {
    expect(
      parseFaultSpec(
        'duplicate=0.01,late=2%,malformed=5,spoof=1,out_of_range=0,reset=2,unknown=3,late_by=45m',
      ),
    ).toEqual({
      duplicate: { probability: 0.01 },
      late: { probability: 0.02 },
      malformed: { count: 5 },
      spoof: { count: 1 },
      outOfRange: { probability: 0 },
      meterResets: 2,
      unknownDevices: 3,
      lateByMs: 45 * 60_000,
    });
  });

  it('should refuse an unknown fault and a fractional count', () => {
    expect(() => parseFaultSpec('gremlins=1')).toThrow(/unknown fault/);
    expect(() => parseFaultSpec('duplicate=2.5')).toThrow(/whole number/);
    expect(() => parseFaultSpec('late_by=soon')).toThrow(/duration/);
  });
});

describe('fault planner', () => {
  const sizes = Array.from({ length: 20 }, () => ({ messages: 100, readings: 150 }));

  function count(
    decide: (device: number, ordinal: number) => boolean,
    unit: 'messages' | 'readings',
  ): number {
    let n = 0;
    for (let device = 0; device < sizes.length; device++) {
      for (let i = 0; i < (sizes[device]?.[unit] ?? 0); i++) if (decide(device, i)) n++;
    }
    return n;
  }

  it('should place exactly the counted faults, never two content faults on one message', () => {
    const planner = createFaultPlanner(
      { malformed: { count: 7 }, spoof: { count: 5 }, late: { count: 9 } },
      42,
      sizes,
    );
    expect(count((d, m) => planner.contentFault(d, m) === 'malformed', 'messages')).toBe(7);
    expect(count((d, m) => planner.contentFault(d, m) === 'spoof', 'messages')).toBe(5);
    expect(count((d, r) => planner.late(d, r), 'readings')).toBe(9);
  });

  it('should draw probabilities independently of publishing order and only for eligible devices', () => {
    const eligible = (device: number) => device % 2 === 0;
    const a = createFaultPlanner({ duplicate: { probability: 0.1 } }, 7, sizes, eligible);
    const b = createFaultPlanner({ duplicate: { probability: 0.1 } }, 7, sizes, eligible);
    const n = count((d, m) => a.duplicate(d, m), 'messages');
    expect(n).toBeGreaterThan(60);
    expect(n).toBeLessThan(140);
    expect(count((d, m) => a.duplicate(d, m) !== b.duplicate(d, m), 'messages')).toBe(0);
    expect(count((d, m) => d % 2 === 1 && a.duplicate(d, m), 'messages')).toBe(0);
  });
});
