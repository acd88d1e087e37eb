import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { INFLUX_MEASUREMENTS } from '@terrapulse/contracts';
import type { InfluxQlTarget } from './influxql-target.js';

/**
 * What Grafana does to a panel's InfluxQL before sending it, done here so tests can run every
 * panel query against a real InfluxDB: find the queries, expand the built-in macros and the
 * dashboard variables, and (for tests and prefixed deployments) prefix the measurements.
 */

/** One query of one panel. */
export interface PanelQuery {
  readonly dashboardUid: string;
  readonly panelId: number;
  readonly panelTitle: string;
  readonly panelType: string;
  readonly refId: string;
  readonly alias: string | undefined;
  readonly resultFormat: InfluxQlTarget['resultFormat'];
  readonly query: string;
}

/** Variables Grafana defines itself; a query may use them without a templating entry. */
export const BUILT_IN_VARIABLES: ReadonlySet<string> = new Set([
  'timeFilter',
  '__interval',
  '__interval_ms',
  '__from',
  '__to',
  '__range',
  '__range_s',
  '__range_ms',
]);

// The three forms Grafana interpolates: $name, ${name} or ${name:format}, [[name]].
const VARIABLE_REFERENCE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::\w+)?\]\]/g;

/** Names of the variables a query refers to, built-in ones included, in order of appearance. */
export function referencedVariables(query: string): string[] {
  const names = new Set<string>();
  for (const m of query.matchAll(VARIABLE_REFERENCE)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/** Panels of a dashboard, those inside collapsed rows included, rows themselves excluded. */
export function dashboardPanels(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  for (const p of (dashboard.panels ?? []) as Array<Panel | RowPanel>) {
    if (p.type === 'row') panels.push(...(p as RowPanel).panels);
    else panels.push(p as Panel);
  }
  return panels;
}

/** Every InfluxQL query of every panel, in panel order then refId order. */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return dashboardPanels(dashboard).flatMap((panel) =>
    ((panel.targets ?? []) as unknown as InfluxQlTarget[]).map((t) => ({
      dashboardUid: dashboard.uid ?? '',
      panelId: panel.id ?? 0,
      panelTitle: panel.title ?? '',
      panelType: panel.type,
      refId: t.refId,
      alias: t.alias,
      resultFormat: t.resultFormat,
      query: t.query,
    })),
  );
}

/** Escapes what is special in an InfluxQL regex literal, as Grafana's InfluxDB datasource does. */
export function escapeRegexValue(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

/**
 * The value a variable takes in a query when the dashboard opens: its allValue when "All" is
 * selected, a single escaped value, or `(a|b)` for several, like Grafana's InfluxDB datasource.
 */
export function defaultVariableValues(dashboard: Dashboard): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of (dashboard.templating?.list ?? []) as VariableModel[]) {
    values[v.name] = formatSelection(v, v.current?.value ?? []);
  }
  return values;
}

/** A selection (option values) formatted for a regex filter. */
export function formatSelection(variable: VariableModel, value: string | string[]): string {
  const selected = Array.isArray(value) ? value : [value];
  if (selected.includes('$__all')) {
    if (variable.allValue === undefined)
      throw new Error(`variable ${variable.name} has All without allValue`);
    return variable.allValue;
  }
  const escaped = selected.map(escapeRegexValue);
  return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
}

export interface QueryContext {
  /** Range start and end, epoch ms (`$timeFilter`, `${__from}`, `${__to}`). */
  readonly from: number;
  readonly to: number;
  /** Grafana's automatic interval (`$__interval`), ms. */
  readonly intervalMs: number;
  /** Formatted value of each dashboard variable (see `defaultVariableValues`). */
  readonly variables: Readonly<Record<string, string>>;
}

/** Grafana's rendering of an interval: the largest whole unit (`15m`, `1h`, `1d`). */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** The query Grafana sends to InfluxDB for a range and a selection of variables. */
export function substituteVariables(query: string, ctx: QueryContext): string {
  const builtIns: Record<string, string> = {
    timeFilter: `time >= ${ctx.from}ms and time <= ${ctx.to}ms`,
    __interval: formatInterval(ctx.intervalMs),
    __interval_ms: String(ctx.intervalMs),
    __from: String(ctx.from),
    __to: String(ctx.to),
    __range: `${Math.round((ctx.to - ctx.from) / 1000)}s`,
    __range_s: String(Math.round((ctx.to - ctx.from) / 1000)),
    __range_ms: String(ctx.to - ctx.from),
  };
  return query.replace(VARIABLE_REFERENCE, (_whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const value = builtIns[name] ?? ctx.variables[name];
    if (value === undefined) throw new Error(`query uses $${name}, which is not defined: ${query}`);
    return value;
  });
}

const KNOWN_MEASUREMENTS: ReadonlySet<string> = new Set(INFLUX_MEASUREMENTS);

/** Measurements a query reads (`FROM "name"`, subqueries included). */
export function queryMeasurements(query: string): string[] {
  return [...query.matchAll(/\bFROM\s+"([^"]+)"/gi)].map((m) => m[1] ?? '');
}

/**
 * The query with every measurement renamed `<prefix><name>` (INFLUX_MEASUREMENT_PREFIX).
 * A measurement the schema does not know is an error, not a silent miss.
 */
export function withMeasurementPrefix(query: string, prefix: string): string {
  return query.replace(/\bFROM\s+"([^"]+)"/gi, (_whole, name: string) => {
    if (!KNOWN_MEASUREMENTS.has(name)) throw new Error(`query reads unknown measurement "${name}": ${query}`);
    return `FROM "${prefix}${name}"`;
  });
}
