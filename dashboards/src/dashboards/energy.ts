import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import { byInterval, byLocalDay, byTags, matchVariable, scope, tagEquals, where } from '../influxql.js';
import { influxql } from '../influxql-target.js';
import { barChart, barGauge, comparisonStat, table, timeseries } from '../panels.js';
import { scopeVariables, tagValuesQuery, tagVariable } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';
const INDICATOR = 'indicator_energy_1d';

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
        tagValuesQuery(INDICATOR, 'carrier'),
        'Energy carrier: electricity, natural_gas, district_heat',
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
              `SELECT sum("consumption_kwh") FROM "${INDICATOR}" WHERE ${where(time, ...scope(matchVariable('carrier')))}`,
          ),
          comparisonStat(
            {
              title: 'CO2e emitted',
              description: `kWh times the emission factor of the carrier (defaults: ADEME Base Empreinte; see the table below). ${COMPARED}`,
              unit: 'masskg',
              w: 12,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("co2e_kg") FROM "${INDICATOR}" WHERE ${where(time, ...scope(matchVariable('carrier')))}`,
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
                `SELECT sum("consumption_kwh") AS "kWh" FROM "${INDICATOR}" WHERE ${indicator()} ${byTags('site')}`,
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
                `SELECT sum("kwh_per_m2") FROM "${INDICATOR}" WHERE ${indicator()} ${byTags('site')}`,
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
                `SELECT sum("consumption_kwh") FROM "${INDICATOR}" WHERE ${indicator()} ${byLocalDay('carrier')}`,
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
                `SELECT sum("co2e_kg") FROM "${INDICATOR}" WHERE ${indicator()} ${byLocalDay('carrier')}`,
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
                'kg CO2e per kWh applied to each carrier over the period, as configured in the indicators service (defaults from ADEME Base Empreinte).',
              unit: 'none',
              w: 24,
              h: 5,
              decimals: 3,
            },
            [
              influxql(
                `SELECT last("emission_factor_kg_per_kwh") AS "kg CO2e per kWh" FROM "${INDICATOR}" WHERE ${indicator()} ${byTags('carrier')}`,
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
              description: 'Mean active power of the electricity meters, 15-minute aggregates.',
              unit: 'watt',
              w: 24,
              h: 8,
              minInterval: '15m',
            },
            [
              influxql(`SELECT mean("mean") FROM "aggregate_15m" WHERE ${power} ${byInterval('site')}`, {
                alias: '$tag_site',
              }),
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
                `SELECT sum("consumption") FROM "aggregate_1h" WHERE ${where(THIS_PERIOD, ...scope(tagEquals('metric', 'energy.active_energy_index')))} ${byInterval('site')}`,
                { alias: '$tag_site' },
              ),
            ],
            { bars: true },
          ),
          timeseries(
            {
              title: 'Night baseload per site',
              description:
                'Lowest hourly mean power of each local day: what stays on when the building is empty (ventilation, IT, pumps).',
              unit: 'watt',
              w: 12,
              h: 8,
            },
            [
              influxql(`SELECT min("mean") FROM "aggregate_1h" WHERE ${power} ${byLocalDay('site')}`, {
                alias: '$tag_site',
              }),
            ],
          ),
        ],
      },
    ],
  });
}
