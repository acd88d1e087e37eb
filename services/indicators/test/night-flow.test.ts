import { describe, expect, it } from 'vitest';
import { type AggregateRow, nightFlows } from '../src/index.js';

const at = (iso: string) => Date.parse(iso);
const hourly = (device: string, metric: string, times: Record<string, number>): AggregateRow[] =>
  Object.entries(times).map(([iso, value]) => ({
    device,
    tenant: 'sev',
    site: 'nord',
    metric,
    time: at(iso),
    value,
  }));
/** The one night of meter `wm` the cases below expect. */
const oneNight = (dayStart: string, minNightFlowM3h: number, hours: number) => [
  { device: 'wm', tenant: 'sev', site: 'nord', time: at(dayStart), minNightFlowM3h, hours },
];

describe('minimum night flow', () => {
  it('should take the minimum hourly volume over local 02:00-05:00 of a winter night', () => {
    // Paris is UTC+1 in January: local 02:00, 03:00, 04:00 start at 01:00Z, 02:00Z, 03:00Z.
    const rows = hourly('wm', 'water.volume_index', {
      '2025-01-15T00:00:00Z': 1, // 01:00 local: before the night
      '2025-01-15T01:00:00Z': 5,
      '2025-01-15T02:00:00Z': 3,
      '2025-01-15T03:00:00Z': 4,
      '2025-01-15T04:00:00Z': 0.5, // 05:00 local: after the night
    });
    expect(nightFlows(rows, 'Europe/Paris')).toEqual(oneNight('2025-01-14T23:00:00Z', 3, 3));
  });

  it('should count two hours on the spring-forward night, whose 02:00 does not exist', () => {
    // 30 March 2025: 02:00 CET becomes 03:00 CEST at 01:00Z.
    const rows = hourly('wm', 'water.volume_index', {
      '2025-03-30T00:00:00Z': 0.2, // 01:00 CET
      '2025-03-30T01:00:00Z': 6, // 03:00 CEST
      '2025-03-30T02:00:00Z': 7, // 04:00 CEST
      '2025-03-30T03:00:00Z': 0.1, // 05:00 CEST
    });
    expect(nightFlows(rows, 'Europe/Paris')).toEqual(oneNight('2025-03-29T23:00:00Z', 6, 2));
  });

  it('should count the repeated 02:00 of the autumn night twice', () => {
    // 26 October 2025: 03:00 CEST becomes 02:00 CET at 01:00Z; the local day starts at 22:00Z.
    const rows = hourly('wm', 'water.volume_index', {
      '2025-10-26T00:00:00Z': 4, // 02:00 CEST
      '2025-10-26T01:00:00Z': 2.5, // 02:00 CET
      '2025-10-26T02:00:00Z': 3, // 03:00 CET
      '2025-10-26T03:00:00Z': 3.5, // 04:00 CET
      '2025-10-26T04:00:00Z': 0.1, // 05:00 CET
    });
    expect(nightFlows(rows, 'Europe/Paris')).toEqual(oneNight('2025-10-25T22:00:00Z', 2.5, 4));
  });

  it('should use the hourly mean flow of a device without volume index, and prefer volume when both exist', () => {
    const rows = [
      ...hourly('wf', 'water.flow', { '2025-01-15T01:00:00Z': 9.5, '2025-01-15T02:00:00Z': 8.25 }),
      ...hourly('wm', 'water.flow', { '2025-01-15T01:00:00Z': 1 }),
      ...hourly('wm', 'water.volume_index', { '2025-01-15T01:00:00Z': 2 }),
    ];
    const byDevice = Object.fromEntries(nightFlows(rows, 'Europe/Paris').map((n) => [n.device, n]));
    expect(byDevice.wf).toMatchObject({ minNightFlowM3h: 8.25, hours: 2 });
    expect(byDevice.wm).toMatchObject({ minNightFlowM3h: 2, hours: 1 });
  });

  it('should give each night its own day', () => {
    const rows = hourly('wm', 'water.volume_index', { '2025-01-15T02:00:00Z': 3, '2025-01-16T02:00:00Z': 4 });
    expect(nightFlows(rows, 'Europe/Paris').map((n) => [n.time, n.minNightFlowM3h])).toEqual([
      [at('2025-01-14T23:00:00Z'), 3],
      [at('2025-01-15T23:00:00Z'), 4],
    ]);
  });
});
