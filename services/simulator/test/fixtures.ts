import { buildTerritory } from '../src/domain/territory.js';
import type { SimDevice } from '../src/domain/types.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The demo territory, built once per test file. */
export const territory = buildTerritory();

export function deviceOfKind(kind: string, predicate: (d: SimDevice) => boolean = () => true): SimDevice {
  const device = territory.devices.find((d) => d.record.kind === kind && predicate(d));
  if (device === undefined) throw new Error(`no ${kind} in the demo territory`);
  return device;
}

/** An instant given as Paris local wall time on a date of 2026 (CET in winter, CEST in summer). */
export function paris(date: string, time: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const offset = new Date(guess).toLocaleString('en-US', {
    timeZone: 'Europe/Paris',
    timeZoneName: 'shortOffset',
  });
  const match = /GMT([+-]\d+)/.exec(offset);
  return guess - Number(match?.[1] ?? 0) * HOUR;
}
