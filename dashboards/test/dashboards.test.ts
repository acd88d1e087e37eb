// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Grafana's ${__from} syntax in plain strings, on purpose
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { INFLUX_MEASUREMENTS } from '@terrapulse/contracts';
import {
  BUILT_IN_VARIABLES,
  buildDashboards,
  DATASOURCE_UID,
  panelQueries,
  queryMeasurements,
  referencedVariables,
  renderDashboards,
} from '@terrapulse/dashboards';
import { describe, expect, it } from 'vitest';
import { GrafanaDashboard, type GrafanaPanel } from './grafana-dashboard-schema.js';

// The JSON as Grafana reads it: parsed back from the generated text, not the builder objects.
const dashboards = [...renderDashboards().values()].map((text) => JSON.parse(text) as unknown);
const parsed = dashboards.map((d) => GrafanaDashboard.parse(d));
const named = parsed.map((d) => [d.uid, d] as const);

// SHOW TAG VALUES [FROM "m"] WITH KEY = "k" [WHERE "tag" =~ /^$v$/ | "tag" = 'x' [AND ...]]
const CONDITION = String.raw`"\w+" (?:=~ /\^\$\w+\$/|= '[\w.]+')`;
const VARIABLE_QUERY = new RegExp(
  String.raw`^SHOW TAG VALUES(?: FROM "\w+")? WITH KEY = "\w+"(?: WHERE ${CONDITION}(?: AND ${CONDITION})*)?$`,
);

function overlaps(a: GrafanaPanel['gridPos'], b: GrafanaPanel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('the generated dashboards', () => {
  it('are the five dashboards of issue 5, each valid for Grafana’s dashboard model', () => {
    expect(parsed.map((d) => d.uid).sort()).toEqual([
      'terrapulse-energy',
      'terrapulse-mobility',
      'terrapulse-overview',
      'terrapulse-pipeline',
      'terrapulse-water',
    ]);
    expect(buildDashboards()).toHaveLength(5);
  });

  it.each(named)('%s gives every panel a unique id, a place within 24 columns and no overlap', (_uid, d) => {
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    for (const [i, a] of d.panels.entries()) {
      for (const b of d.panels.slice(i + 1)) {
        expect(overlaps(a.gridPos, b.gridPos), `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it.each(named)('%s names the provisioned datasource on every panel, target and variable', (_uid, d) => {
    for (const p of d.panels) {
      if (p.type === 'row') continue;
      expect(p.datasource.uid, p.title).toBe(DATASOURCE_UID);
      for (const t of p.targets) expect(t.datasource.uid, `${p.title} ${t.refId}`).toBe(DATASOURCE_UID);
    }
    for (const v of d.templating.list) expect(v.datasource.uid, v.name).toBe(DATASOURCE_UID);
  });

  it.each(named)('%s defines every variable its queries use, before the variables that use it', (_uid, d) => {
    const defined = d.templating.list.map((v) => v.name);
    for (const q of panelQueries(d as unknown as Dashboard)) {
      for (const name of referencedVariables(q.query)) {
        expect(BUILT_IN_VARIABLES.has(name) || defined.includes(name), `${q.panelTitle}: $${name}`).toBe(
          true,
        );
      }
    }
    d.templating.list.forEach((v, i) => {
      for (const name of referencedVariables(v.query)) {
        expect(defined.slice(0, i), `variable ${v.name} uses $${name}`).toContain(name);
      }
    });
  });

  it.each(named)('%s chains tenant -> site -> device with valid SHOW TAG VALUES queries', (_uid, d) => {
    const byName = new Map(d.templating.list.map((v) => [v.name, v]));
    for (const v of d.templating.list) {
      expect(v.query, v.name).toMatch(VARIABLE_QUERY);
      expect(v.definition).toBe(v.query);
      expect(v.current.value).toEqual(['$__all']);
      expect(v.allValue).toBe('.*');
    }
    expect(byName.get('tenant')?.query).toContain('WITH KEY = "tenant"');
    expect(referencedVariables(byName.get('site')?.query ?? '')).toContain('tenant');
    expect(referencedVariables(byName.get('device')?.query ?? '')).toEqual(
      expect.arrayContaining(['tenant', 'site']),
    );
  });

  it('offers the domain variable where a dashboard spans domains, and fixes it elsewhere', () => {
    const variables = Object.fromEntries(
      named.map(([uid, d]) => [uid, d.templating.list.map((v) => v.name)]),
    );
    expect(variables['terrapulse-overview']).toEqual(['tenant', 'site', 'domain', 'device']);
    expect(variables['terrapulse-pipeline']).toEqual(['tenant', 'site', 'domain', 'device']);
    expect(variables['terrapulse-energy']).toEqual(['tenant', 'site', 'device', 'carrier']);
    expect(variables['terrapulse-water']).toEqual(['tenant', 'site', 'device']);
    const water = named.find(([uid]) => uid === 'terrapulse-water')?.[1];
    expect(water?.templating.list.find((v) => v.name === 'device')?.query).toContain(`"domain" = 'water'`);
  });

  it.each(named)(
    '%s runs only InfluxQL SELECTs on stored measurements, within the dashboard range',
    (_uid, d) => {
      for (const q of panelQueries(d as unknown as Dashboard)) {
        const where = `${q.panelTitle} ${q.refId}`;
        expect(q.query, where).toMatch(/^SELECT .+ FROM /);
        const measurements = queryMeasurements(q.query);
        expect(measurements.length, where).toBeGreaterThan(0);
        for (const m of measurements) expect(INFLUX_MEASUREMENTS as readonly string[], where).toContain(m);
        expect(q.query, where).toMatch(/\$timeFilter|\$\{__from\}ms/);
        expect(q.query, where).not.toMatch(/\b(AND|WHERE)\s*(GROUP|\)|$)/);
        const depth = [...q.query].reduce(
          (n, c) => (n < 0 ? n : n + (c === '(' ? 1 : c === ')' ? -1 : 0)),
          0,
        );
        expect(depth, `${where}: balanced parentheses`).toBe(0);
        if (/GROUP BY time\(1d\)/.test(q.query)) expect(q.query, where).toContain("tz('Europe/Paris')");
      }
    },
  );

  it.each(named)('%s sets a unit and a description on every panel', (_uid, d) => {
    for (const p of d.panels) {
      if (p.type === 'row') continue;
      expect(p.fieldConfig.defaults.unit, p.title).not.toBe('');
      expect(p.description.length, p.title).toBeGreaterThan(10);
    }
  });

  it('compares the headline figures with the previous period and the same period last year', () => {
    const overview = named.find(([uid]) => uid === 'terrapulse-overview')?.[1];
    const stats = (overview?.panels ?? []).filter((p) => p.type === 'stat');
    expect(stats.length).toBeGreaterThanOrEqual(8);
    for (const p of stats) {
      if (p.type === 'row') continue;
      expect(p.targets.map((t) => t.alias)).toEqual([
        'This period',
        'Previous period',
        'Same period last year',
      ]);
      const [current, previous, lastYear] = p.targets.map((t) => t.query);
      expect(current).toContain('$timeFilter');
      expect(previous).toContain('time >= ${__from}ms - ${__range_ms}ms AND time < ${__from}ms');
      expect(lastYear).toContain('time >= ${__from}ms - 52w AND time <= ${__to}ms - 52w');
      expect(previous?.replace(/time >= .*? AND time < \$\{__from\}ms/, '$timeFilter')).toBe(current);
    }
  });
});
