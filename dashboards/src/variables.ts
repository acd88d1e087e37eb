import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Domain, InfluxMeasurement } from '@terrapulse/contracts';
import { DATASOURCE } from './datasource.js';
import { matchVariable, measurement, tagEquals, where } from './influxql.js';

/**
 * Where the variables take their values: hourly aggregates carry every series tag of every
 * device that sent something, and are far fewer series than raw readings.
 */
export const VARIABLE_SOURCE: InfluxMeasurement = 'aggregate_1h';

/** What "All" stands for in a query: any value, matched by the anchored regex filters. */
export const ALL_VALUE = '.*';

/** `SHOW TAG VALUES` of one key, narrowed by the variables it depends on (chained variables). */
export function tagValuesQuery(
  from: InfluxMeasurement,
  key: string,
  conditions: readonly string[] = [],
): string {
  const filter = conditions.length > 0 ? ` WHERE ${where(...conditions)}` : '';
  return `SHOW TAG VALUES FROM ${measurement(from)} WITH KEY = "${key}"${filter}`;
}

/** A multi-value variable defaulting to All, listing the values of a tag. */
export function tagVariable(
  name: string,
  label: string,
  query: string,
  description: string,
): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUE)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/**
 * tenant -> site -> (domain) -> device, each list narrowed by the selections before it. A
 * dashboard of one domain fixes it in the site and device lists instead of offering it.
 */
export function scopeVariables(domain?: Domain): QueryVariableBuilder[] {
  const fixed = domain === undefined ? [] : [tagEquals('domain', domain)];
  const tenant = matchVariable('tenant');
  const site = matchVariable('site');
  const variables = [
    tagVariable(
      'tenant',
      'Tenant',
      tagValuesQuery(VARIABLE_SOURCE, 'tenant', fixed),
      'Territory owning the devices (commune, syndicate)',
    ),
    tagVariable(
      'site',
      'Site',
      tagValuesQuery(VARIABLE_SOURCE, 'site', [tenant, ...fixed]),
      'Building, water sector, road section... of the selected tenants',
    ),
  ];
  if (domain === undefined) {
    variables.push(
      tagVariable(
        'domain',
        'Domain',
        tagValuesQuery(VARIABLE_SOURCE, 'domain', [tenant, site]),
        'energy, water or mobility',
      ),
    );
  }
  const deviceConditions =
    domain === undefined ? [tenant, site, matchVariable('domain')] : [tenant, site, ...fixed];
  variables.push(
    tagVariable(
      'device',
      'Device',
      tagValuesQuery(VARIABLE_SOURCE, 'device', deviceConditions),
      'Devices of the selected sites',
    ),
  );
  return variables;
}
