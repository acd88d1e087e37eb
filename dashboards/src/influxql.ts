import type { InfluxMeasurement } from '@terrapulse/contracts';
import { TERRITORY_TIMEZONE } from './datasource.js';

/**
 * Small InfluxQL fragments the dashboards share, so every query filters the same way.
 *
 * Variables are matched as anchored regexes (`=~ /^$site$/`): Grafana's InfluxDB datasource
 * expands a multi-value selection to `(a|b)` with regex escaping, and "All" to the variable's
 * allValue `.*`, so one form serves every selection.
 */

/**
 * `"name"`: a measurement of the catalogue (contracts influx-measurements.ts), bare; tests and
 * prefixed deployments rename it with `withMeasurementPrefix` (panel-queries.ts).
 */
export function measurement(name: InfluxMeasurement): string {
  return `"${name}"`;
}

/** `"tag" =~ /^$variable$/`: the series whose tag matches the variable's selection. */
export function matchVariable(tag: string, variable: string = tag): string {
  return `"${tag}" =~ /^$${variable}$/`;
}

/** `"tag" = 'value'`: a fixed tag value (a metric id, a domain). */
export function tagEquals(tag: string, value: string): string {
  return `"${tag}" = '${value.replaceAll("'", "\\'")}'`;
}

/** Conditions joined with AND. */
export function where(...conditions: readonly string[]): string {
  return conditions.join(' AND ');
}

/** Tenant, site and device selections of the dashboard. */
export function scope(...extra: readonly string[]): string[] {
  return [matchVariable('tenant'), matchVariable('site'), matchVariable('device'), ...extra];
}

/** GROUP BY clause cutting days in the territory's time zone. */
export function byLocalDay(...tags: readonly string[]): string {
  return `GROUP BY ${['time(1d)', ...tags.map((t) => `"${t}"`)].join(', ')} fill(none) tz('${TERRITORY_TIMEZONE}')`;
}

/** GROUP BY Grafana's automatic interval (one bucket per pixel group), then tags. */
export function byInterval(...tags: readonly string[]): string {
  return `GROUP BY ${['time($__interval)', ...tags.map((t) => `"${t}"`)].join(', ')} fill(none)`;
}

/** GROUP BY tags only: one value per series over the whole time range. */
export function byTags(...tags: readonly string[]): string {
  return `GROUP BY ${tags.map((t) => `"${t}"`).join(', ')}`;
}
