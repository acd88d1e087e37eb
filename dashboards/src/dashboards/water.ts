import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
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
import { barChart, comparisonStat, table, timeseries } from '../panels.js';
import { scopeVariables } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';
const M3H = 'suffix: m³/h';

/** Water: volumes per sector, minimum night flow, leak alarms, network yield, pressure and flow. */
export function waterDashboard(): Dashboard {
  const metric = (id: string, time = THIS_PERIOD) => where(time, ...scope(tagEquals('metric', id)));
  const sectors = where(THIS_PERIOD, matchVariable('tenant'), matchVariable('site'));
  return buildDashboard({
    uid: 'terrapulse-water',
    title: 'Terrapulse / Water',
    description:
      'Volumes per network sector, minimum night flow (the leak indicator), leak alarms, network yield, pressure and flow',
    tags: ['water'],
    variables: scopeVariables('water'),
    sections: [
      {
        title: 'Volumes',
        panels: [
          comparisonStat(
            {
              title: 'Volume into the sectors',
              description: `m³ through the production (inlet) meters of the network sectors (indicator_network_yield): demand plus losses. Inlet and consumption meters are never added together, which would count the same water twice. ${COMPARED}`,
              unit: 'm3',
              w: 8,
              h: 8,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("produced_m3") FROM ${measurement('indicator_network_yield')} WHERE ${where(time, matchVariable('tenant'), matchVariable('site'))}`,
          ),
          barChart(
            {
              title: 'Volume per sector',
              description:
                'm³ of the period per network sector: into the sector (production meters), delivered (consumption meters), and the difference, the losses.',
              unit: 'm3',
              w: 8,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("produced_m3") AS "into the sector", sum("consumed_m3") AS "delivered", sum("losses_m3") AS "losses" FROM ${measurement('indicator_network_yield')} WHERE ${sectors} ${byTags('site')}`,
                { format: 'table' },
              ),
            ],
            'site',
          ),
          table(
            {
              title: 'Volume per meter',
              description:
                'm³ of the period recorded by each water meter (volume index increase), whatever its role: the place to see a meter outside any sector balance.',
              unit: 'm3',
              w: 8,
              h: 8,
              decimals: 1,
            },
            [
              influxql(
                `SELECT sum("consumption") AS "m³" FROM ${measurement('aggregate_1d')} WHERE ${metric('water.volume_index')} ${byTags('site', 'device')}`,
                { format: 'table' },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Volume per day and sector',
              description: 'Daily m³ into each sector (production meters).',
              unit: 'm3',
              w: 24,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("produced_m3") FROM ${measurement('indicator_network_yield')} WHERE ${sectors} ${byLocalDay('site')}`,
                { alias: '$tag_site' },
              ),
            ],
            { bars: true, stacked: true },
          ),
        ],
      },
      {
        title: 'Leaks',
        panels: [
          timeseries(
            {
              title: 'Minimum night flow per meter',
              description:
                'Lowest hourly flow between 02:00 and 05:00 local time of each night (indicator_night_flow). Almost nobody draws water then: a flow that stays up night after night is a leak.',
              unit: M3H,
              w: 12,
              h: 8,
              decimals: 2,
            },
            [
              influxql(
                `SELECT max("min_night_flow_m3h") FROM ${measurement('indicator_night_flow')} WHERE ${where(THIS_PERIOD, ...scope())} ${byLocalDay('device')}`,
                { alias: '$tag_device' },
              ),
            ],
          ),
          table(
            {
              title: 'Latest minimum night flow',
              description: 'The last night of the period, per meter, highest first.',
              unit: M3H,
              w: 6,
              h: 8,
              decimals: 2,
            },
            [
              influxql(
                `SELECT last("min_night_flow_m3h") AS "minimum night flow" FROM ${measurement('indicator_night_flow')} WHERE ${where(THIS_PERIOD, ...scope())} ${byTags('site', 'device')}`,
                { format: 'table' },
              ),
            ],
          ),
          comparisonStat(
            {
              title: 'Devices that raised a leak alarm',
              description: `Leak sensors and meters whose alarm was up at least once in the period. ${COMPARED}`,
              unit: 'short',
              w: 6,
              h: 8,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("raised") FROM (SELECT max("max") AS "raised" FROM ${measurement('aggregate_1h')} WHERE ${metric('water.leak_alarm', time)} GROUP BY "device")`,
          ),
          timeseries(
            {
              title: 'Leak alarms',
              description: '1 while a device reports a suspected leak (hourly maximum of water.leak_alarm).',
              unit: 'none',
              w: 24,
              h: 6,
              minInterval: '1h',
            },
            [
              influxql(
                `SELECT max("max") FROM ${measurement('aggregate_1h')} WHERE ${metric('water.leak_alarm')} ${byInterval('device')}`,
                {
                  alias: '$tag_device',
                },
              ),
            ],
          ),
        ],
      },
      {
        title: 'Network',
        panels: [
          timeseries(
            {
              title: 'Network yield per sector',
              description:
                'Consumed over produced volume of each sector and day (indicator_network_yield); where production and consumption meters exist.',
              unit: 'percentunit',
              w: 12,
              h: 8,
              decimals: 1,
            },
            [
              influxql(
                `SELECT mean("yield") FROM ${measurement('indicator_network_yield')} WHERE ${sectors} ${byLocalDay('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Losses per day and sector',
              description:
                'Inlet minus delivered m³ of each sector and day: leaks, unmetered use, meter drift. A step up that stays is a new leak.',
              unit: 'm3',
              w: 12,
              h: 8,
              decimals: 1,
            },
            [
              influxql(
                `SELECT sum("losses_m3") FROM ${measurement('indicator_network_yield')} WHERE ${sectors} ${byLocalDay('site')}`,
                { alias: '$tag_site' },
              ),
            ],
            { bars: true },
          ),
          timeseries(
            {
              title: 'Pressure',
              description: 'Mean gauge pressure per sensor, 15-minute aggregates.',
              unit: 'pressurebar',
              w: 12,
              h: 8,
              minInterval: '15m',
            },
            [
              influxql(
                `SELECT mean("mean") FROM ${measurement('aggregate_15m')} WHERE ${metric('water.pressure')} ${byInterval('device')}`,
                {
                  alias: '$tag_device',
                },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Flow',
              description: 'Mean flow per meter and flow sensor, 15-minute aggregates.',
              unit: M3H,
              w: 12,
              h: 8,
              minInterval: '15m',
            },
            [
              influxql(
                `SELECT mean("mean") FROM ${measurement('aggregate_15m')} WHERE ${metric('water.flow')} ${byInterval('device')}`,
                {
                  alias: '$tag_device',
                },
              ),
            ],
          ),
        ],
      },
    ],
  });
}
