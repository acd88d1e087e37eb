import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { InfluxMeasurement } from '@terrapulse/contracts';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import {
  byInterval,
  byLocalDay,
  byTags,
  matchVariable,
  measurement,
  scope,
  tagEquals,
  where,
} from '../influxql.js';
import { influxql } from '../influxql-target.js';
import { barChart, barGauge, comparisonStat, table, timeseries } from '../panels.js';
import { scopeVariables, tagValuesQuery, tagVariable } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';
const INDICATOR = 'indicator_energy_1d' satisfies InfluxMeasurement;

/** Energy: consumption and CO2e per site and carrier, per m², load curves and night baseload. */
export function energyDashboard(): Dashboard {
  const indicator = (...extra: string[]) => where(THIS_PERIOD, ...scope(matchVariable('carrier'), ...extra));
  const power = where(THIS_PERIOD, ...scope(tagEquals('metric', 'energy.active_power')));
  return buildDashboard({
    uid: 'terrapulse-energy',
    title: 'Terrapulse / Energy',
    description:
      'Consumption and greenhouse gas emissions of the buildings per site and energy carrier, per m², load curves and night baseload',
    tags: ['energy'],
    variables: [
      ...scopeVariables('energy'),
      tagVariable(
        'carrier',
        'Carrier',
        tagValuesQuery(INDICATOR, 'carrier', [matchVariable('tenant'), matchVariable('site')]),
        'Energy carrier of the selected sites: electricity, natural_gas, district_heat',
      ),
    ],
    sections: [
      {
        title: 'Consumption and emissions',
        panels: [
          comparisonStat(
            {
              title: 'Energy consumed',
              description: `Final energy in kWh, gas volumes converted with the configured kWh PCS per m³. ${COMPARED}`,
              unit: 'kwatth',
              w: 12,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("consumption_kwh") FROM ${measurement(INDICATOR)} WHERE ${where(time, ...scope(matchVariable('carrier')))}`,
          ),
          comparisonStat(
            {
              title: 'CO2e emitted',
              description: `kWh times the emission factor of each carrier, set in the indicators service (EMISSION_FACTOR_*); the factors and their sources are in "Emission factors in use". ${COMPARED}`,
              unit: 'masskg',
              w: 12,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("co2e_kg") FROM ${measurement(INDICATOR)} WHERE ${where(time, ...scope(matchVariable('carrier')))}`,
          ),
          barChart(
            {
              title: 'Consumption per site',
              description: 'kWh of the period per site, every carrier together.',
              unit: 'kwatth',
              w: 12,
              h: 9,
            },
            [
              influxql(
                `SELECT sum("consumption_kwh") AS "kWh" FROM ${measurement(INDICATOR)} WHERE ${indicator()} ${byTags('site')}`,
                {
                  format: 'table',
                },
              ),
            ],
            'site',
          ),
          barGauge(
            {
              title: 'Consumption per m² and site',
              description:
                'kWh per m² of heated floor area over the period; only the sites whose floor area the registry knows.',
              unit: 'suffix: kWh/m²',
              w: 12,
              h: 9,
              decimals: 1,
            },
            [
              influxql(
                `SELECT sum("kwh_per_m2") FROM ${measurement(INDICATOR)} WHERE ${indicator()} ${byTags('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Consumption per day and carrier',
              description: 'Daily kWh per energy carrier, stacked.',
              unit: 'kwatth',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("consumption_kwh") FROM ${measurement(INDICATOR)} WHERE ${indicator()} ${byLocalDay('carrier')}`,
                {
                  alias: '$tag_carrier',
                },
              ),
            ],
            { bars: true, stacked: true },
          ),
          timeseries(
            {
              title: 'CO2e per day and carrier',
              description: 'Daily kg CO2e per energy carrier, stacked.',
              unit: 'masskg',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("co2e_kg") FROM ${measurement(INDICATOR)} WHERE ${indicator()} ${byLocalDay('carrier')}`,
                {
                  alias: '$tag_carrier',
                },
              ),
            ],
            { bars: true, stacked: true },
          ),
          table(
            {
              title: 'Emission factors in use',
              description:
                'kg CO2e per kWh (natural gas: per kWh PCS) applied to each carrier at the end of the period, and where it comes from: an ADEME Base Empreinte default, to be checked against the release the territory reports against, or the EMISSION_FACTOR_* setting of the indicators service. Both are stored with every daily point, so a change of factor shows here.',
              unit: 'none',
              w: 24,
              h: 5,
              decimals: 3,
            },
            [
              influxql(
                `SELECT last("emission_factor_kg_per_kwh") AS "kg CO2e per kWh", last("emission_factor_source") AS "source" FROM ${measurement(INDICATOR)} WHERE ${indicator()} ${byTags('carrier')}`,
                { format: 'table' },
              ),
            ],
          ),
        ],
      },
      {
        title: 'Load curves',
        panels: [
          timeseries(
            {
              title: 'Electrical load per site',
              description:
                'Active power of each site, its electricity meters added up: mean per meter over the interval (15-minute aggregates), summed per site.',
              unit: 'watt',
              w: 24,
              h: 8,
              minInterval: '15m',
            },
            [
              influxql(
                `SELECT sum("power") FROM (SELECT mean("mean") AS "power" FROM ${measurement('aggregate_15m')} WHERE ${power} ${byInterval('site', 'device')}) WHERE ${THIS_PERIOD} ${byInterval('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Electricity consumption per site',
              description:
                'kWh per interval (one hour at least) from the active energy index of the electricity meters.',
              unit: 'kwatth',
              w: 12,
              h: 8,
              minInterval: '1h',
            },
            [
              influxql(
                `SELECT sum("consumption") FROM ${measurement('aggregate_1h')} WHERE ${where(THIS_PERIOD, ...scope(tagEquals('metric', 'energy.active_energy_index')))} ${byInterval('site')}`,
                { alias: '$tag_site' },
              ),
            ],
            { bars: true },
          ),
          timeseries(
            {
              title: 'Night baseload per site',
              description:
                'Lowest hourly power of each site and local day, its electricity meters added up: what stays on when the building is empty (ventilation, IT, pumps), reached at night or at the weekend. A baseload that creeps up is equipment left running.',
              unit: 'watt',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT min("power") FROM (SELECT sum("mean") AS "power" FROM ${measurement('aggregate_1h')} WHERE ${power} GROUP BY time(1h), "site" fill(none)) WHERE ${THIS_PERIOD} ${byLocalDay('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
          ),
        ],
      },
    ],
  });
}
