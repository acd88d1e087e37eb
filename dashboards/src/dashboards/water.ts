import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import { byInterval, byLocalDay, byTags, matchVariable, scope, tagEquals, where } from '../influxql.js';
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
              title: 'Metered volume',
              description: `m³ recorded by the water meters of the selection (volume index increase). ${COMPARED}`,
              unit: 'm3',
              w: 8,
              h: 8,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("consumption") FROM "aggregate_1d" WHERE ${metric('water.volume_index', time)}`,
          ),
          barChart(
            {
              title: 'Volume per sector',
              description: 'm³ of the period per site (network sector or production site).',
              unit: 'm3',
              w: 8,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("consumption") AS "m³" FROM "aggregate_1d" WHERE ${metric('water.volume_index')} ${byTags('site')}`,
                { format: 'table' },
              ),
            ],
            'site',
          ),
          timeseries(
            {
              title: 'Volume per day and sector',
              description: 'Daily m³ per site.',
              unit: 'm3',
              w: 8,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("consumption") FROM "aggregate_1d" WHERE ${metric('water.volume_index')} ${byLocalDay('site')}`,
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
                `SELECT max("min_night_flow_m3h") FROM "indicator_night_flow" WHERE ${where(THIS_PERIOD, ...scope())} ${byLocalDay('device')}`,
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
                `SELECT last("min_night_flow_m3h") AS "minimum night flow" FROM "indicator_night_flow" WHERE ${where(THIS_PERIOD, ...scope())} ${byTags('site', 'device')}`,
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
              `SELECT sum("raised") FROM (SELECT max("max") AS "raised" FROM "aggregate_1h" WHERE ${metric('water.leak_alarm', time)} GROUP BY "device")`,
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
                `SELECT max("max") FROM "aggregate_1h" WHERE ${metric('water.leak_alarm')} ${byInterval('device')}`,
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
                `SELECT mean("yield") FROM "indicator_network_yield" WHERE ${sectors} ${byLocalDay('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
          ),
          table(
            {
              title: 'Production, consumption and losses per sector',
              description: 'm³ over the period; losses are production minus consumption.',
              unit: 'm3',
              w: 12,
              h: 8,
              decimals: 0,
            },
            [
              influxql(
                `SELECT sum("produced_m3") AS "produced", sum("consumed_m3") AS "consumed", sum("losses_m3") AS "losses" FROM "indicator_network_yield" WHERE ${sectors} ${byTags('site')}`,
                { format: 'table' },
              ),
            ],
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
                `SELECT mean("mean") FROM "aggregate_15m" WHERE ${metric('water.pressure')} ${byInterval('device')}`,
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
                `SELECT mean("mean") FROM "aggregate_15m" WHERE ${metric('water.flow')} ${byInterval('device')}`,
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
