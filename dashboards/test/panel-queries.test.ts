// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Grafana's ${__from} syntax in plain strings, on purpose
import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  buildDashboards,
  defaultVariableValues,
  escapeRegexValue,
  formatInterval,
  formatSelection,
  panelQueries,
  queryMeasurements,
  referencedVariables,
  substituteVariables,
  withMeasurementPrefix,
} from '@terrapulse/dashboards';
import { describe, expect, it } from 'vitest';

const FROM = Date.parse('2026-10-24T22:00:00Z');
const TO = Date.parse('2026-10-25T23:00:00Z');
const ctx = (variables: Record<string, string> = {}) => ({
  from: FROM,
  to: TO,
  intervalMs: 3_600_000,
  variables,
});
const variable = (extra: Partial<VariableModel>): VariableModel =>
  ({ type: 'query', name: 'site', multi: true, includeAll: true, allValue: '.*', ...extra }) as VariableModel;

describe('referencedVariables', () => {
  it('should find $name, ${name}, ${name:format} and [[name]] once each, built-ins included', () => {
    expect(
      referencedVariables(
        '"a" =~ /^$site$/ AND time > ${__from}ms AND "b" = ${device:regex} AND [[tenant]] $site',
      ),
    ).toEqual(['site', '__from', 'device', 'tenant']);
  });

  it('should read $__interval_ms as one name, not $__interval followed by text', () => {
    expect(referencedVariables('count("v") * 1000 / $__interval_ms GROUP BY time($__interval)')).toEqual([
      '__interval_ms',
      '__interval',
    ]);
  });
});

describe('substituteVariables', () => {
  it('should expand $timeFilter like Grafana, in epoch milliseconds', () => {
    expect(substituteVariables('WHERE $timeFilter', ctx())).toBe(
      `WHERE time >= ${FROM}ms and time <= ${TO}ms`,
    );
  });

  it('should expand the interval, range and bounds the comparison periods use', () => {
    const q =
      'time >= ${__from}ms - ${__range_ms}ms AND time < ${__to}ms GROUP BY time($__interval) / $__interval_ms';
    expect(substituteVariables(q, { ...ctx(), intervalMs: 900_000 })).toBe(
      `time >= ${FROM}ms - ${TO - FROM}ms AND time < ${TO}ms GROUP BY time(15m) / 900000`,
    );
  });

  it('should put each variable’s formatted value in place', () => {
    expect(
      substituteVariables(
        '"site" =~ /^$site$/ AND "tenant" =~ /^${tenant}$/',
        ctx({ site: '.*', tenant: '(a|b)' }),
      ),
    ).toBe('"site" =~ /^.*$/ AND "tenant" =~ /^(a|b)$/');
  });

  it('should refuse a variable the dashboard does not define', () => {
    expect(() => substituteVariables('"site" =~ /^$sector$/', ctx({ site: '.*' }))).toThrow(/\$sector/);
  });
});

describe('formatSelection', () => {
  it('should give the allValue for All, an escaped value for one, a group for several', () => {
    expect(formatSelection(variable({}), ['$__all'])).toBe('.*');
    expect(formatSelection(variable({}), 'sa-mairie')).toBe('sa-mairie');
    expect(formatSelection(variable({}), ['a.b', 'c/d'])).toBe('(a\\.b|c\\/d)');
  });

  it('should refuse All on a variable without an allValue', () => {
    expect(() => formatSelection(variable({ allValue: undefined }), '$__all')).toThrow(/allValue/);
  });

  it('escapes every regex metacharacter of a tag value', () => {
    expect(escapeRegexValue('a.b*c+(d)|e/f$')).toBe('a\\.b\\*c\\+\\(d\\)\\|e\\/f\\$');
  });
});

describe('formatInterval', () => {
  it('should use the largest whole unit, like Grafana', () => {
    expect([
      formatInterval(86_400_000),
      formatInterval(3_600_000),
      formatInterval(900_000),
      formatInterval(30_000),
    ]).toEqual(['1d', '1h', '15m', '30s']);
    expect(formatInterval(1_500)).toBe('1500ms');
  });
});

describe('withMeasurementPrefix', () => {
  it('should prefix every measurement, those of subqueries included', () => {
    const q = 'SELECT sum("s") FROM (SELECT last("silent") AS "s" FROM "device_status" GROUP BY "device")';
    expect(withMeasurementPrefix(q, 't_1_')).toBe(
      'SELECT sum("s") FROM (SELECT last("silent") AS "s" FROM "t_1_device_status" GROUP BY "device")',
    );
    expect(withMeasurementPrefix('SHOW TAG VALUES FROM "aggregate_1h" WITH KEY = "site"', 'p_')).toBe(
      'SHOW TAG VALUES FROM "p_aggregate_1h" WITH KEY = "site"',
    );
  });

  it('should refuse a measurement outside the schema', () => {
    expect(() => withMeasurementPrefix('SELECT * FROM "readings"', 'p_')).toThrow(
      /unknown measurement "readings"/,
    );
  });

  it('queryMeasurements should list the measurements in order', () => {
    expect(queryMeasurements('SELECT a FROM (SELECT b FROM "reading") , c FROM "rejection"')).toEqual([
      'reading',
      'rejection',
    ]);
  });
});

describe('the dashboards’ queries with their default variables', () => {
  it('should all expand to queries without a variable left', () => {
    let count = 0;
    for (const d of buildDashboards()) {
      const values = defaultVariableValues(d);
      expect(Object.values(values).every((v) => v === '.*')).toBe(true);
      for (const q of panelQueries(d)) {
        const expanded = withMeasurementPrefix(substituteVariables(q.query, ctx(values)), 'p_');
        expect(expanded, `${d.uid} ${q.panelTitle}`).not.toMatch(/\$(\w|\{)|\[\[/);
        count++;
      }
    }
    expect(count).toBeGreaterThan(60);
  });
});
