import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import { byLocalDay, matchVariable, measurement, scope, tagEquals, where } from '../influxql.js';
import { influxql } from '../influxql-target.js';
import { comparisonStat, timeseries } from '../panels.js';
import { scopeVariables } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';

/** Territory overview: one line per domain, each figure against the previous period and last year. */
export function territoryOverview(): Dashboard {
  const tenantAndSite = [matchVariable('tenant'), matchVariable('site')];
  return buildDashboard({
    uid: 'terrapulse-overview',
    title: 'Terrapulse / Territory overview',
    description:
      'Energy, water, mobility and device health of the territory, against the previous period and last year',
    tags: ['overview'],
    variables: scopeVariables(),
    sections: [
      {
        title: 'Energy',
        panels: [
          comparisonStat(
            {
              title: 'Energy consumed',
              description: `Final energy of every carrier, gas converted to kWh (indicator_energy_1d). ${COMPARED}`,
              unit: 'kwatth',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("consumption_kwh") FROM ${measurement('indicator_energy_1d')} WHERE ${where(time, ...scope())}`,
          ),
          comparisonStat(
            {
              title: 'Energy CO2e',
              description: `Greenhouse gas emissions of that energy, with the emission factor of each carrier. ${COMPARED}`,
              unit: 'masskg',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("co2e_kg") FROM ${measurement('indicator_energy_1d')} WHERE ${where(time, ...scope())}`,
          ),
          timeseries(
            {
              title: 'Energy per day and carrier',
              description: 'Daily consumption in kWh, electricity, natural gas and district heat stacked.',
              unit: 'kwatth',
              w: 8,
              h: 6,
            },
            [
              influxql(
                `SELECT sum("consumption_kwh") FROM ${measurement('indicator_energy_1d')} WHERE ${where(THIS_PERIOD, ...scope())} ${byLocalDay('carrier')}`,
                { alias: '$tag_carrier' },
              ),
            ],
            { bars: true, stacked: true },
          ),
        ],
      },
      {
        title: 'Water',
        panels: [
          comparisonStat(
            {
              title: 'Water consumed',
              description: `Volume through the consumption meters of the network sectors (indicator_network_yield). ${COMPARED}`,
              unit: 'm3',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("consumed_m3") FROM ${measurement('indicator_network_yield')} WHERE ${where(time, ...tenantAndSite)}`,
          ),
          comparisonStat(
            {
              title: 'Suspected losses',
              description: `Produced minus consumed volume of the sectors: leaks, unmetered use, meter drift. ${COMPARED}`,
              unit: 'm3',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("losses_m3") FROM ${measurement('indicator_network_yield')} WHERE ${where(time, ...tenantAndSite)}`,
          ),
          comparisonStat(
            {
              title: 'Highest minimum night flow',
              description: `Largest minimum hourly flow between 02:00 and 05:00 of any meter: a leak keeps it above zero. ${COMPARED}`,
              unit: 'suffix: m³/h',
              w: 8,
              h: 6,
              decimals: 2,
            },
            (time) =>
              `SELECT max("min_night_flow_m3h") FROM ${measurement('indicator_night_flow')} WHERE ${where(time, ...scope())}`,
          ),
        ],
      },
      {
        title: 'Mobility',
        panels: [
          comparisonStat(
            {
              title: 'Motor vehicles counted',
              description: `Vehicles of every class counted by the traffic counters. ${COMPARED}`,
              unit: 'short',
              w: 12,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("sum") FROM ${measurement('aggregate_1d')} WHERE ${where(time, ...scope(tagEquals('metric', 'mobility.vehicle_count')))}`,
          ),
          comparisonStat(
            {
              title: 'Bicycles counted',
              description: `Passages counted by the bike counters. ${COMPARED}`,
              unit: 'short',
              w: 12,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("sum") FROM ${measurement('aggregate_1d')} WHERE ${where(time, ...scope(tagEquals('metric', 'mobility.bike_count')))}`,
          ),
        ],
      },
      {
        title: 'Devices',
        panels: [
          comparisonStat(
            {
              title: 'Silent devices at the end of the period',
              description: `Devices whose latest status snapshot of the period says silent (device_status). ${COMPARED}`,
              unit: 'short',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("silent") FROM (SELECT last("silent") AS "silent" FROM ${measurement('device_status')} WHERE ${where(time, ...scope(matchVariable('domain')))} GROUP BY "device")`,
          ),
          comparisonStat(
            {
              title: 'Rejected messages',
              description: `Dead letters of the validator, by the device the MQTT topic named; not attributed to a tenant, since a rejected message may carry no trustworthy identity. ${COMPARED}`,
              unit: 'short',
              w: 8,
              h: 6,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("count") FROM ${measurement('rejection')} WHERE ${where(time, matchVariable('device'))}`,
          ),
          timeseries(
            {
              title: 'Readings per day and domain',
              description: 'Distinct readings aggregated per local day, from the daily aggregates.',
              unit: 'short',
              w: 8,
              h: 6,
            },
            [
              influxql(
                `SELECT sum("count") FROM ${measurement('aggregate_1d')} WHERE ${where(THIS_PERIOD, ...scope(matchVariable('domain')))} ${byLocalDay('domain')}`,
                { alias: '$tag_domain' },
              ),
            ],
            { bars: true, stacked: true },
          ),
        ],
      },
    ],
  });
}
