import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import { byInterval, byLocalDay, measurement, scope, tagEquals, where } from '../influxql.js';
import { influxql } from '../influxql-target.js';
import { comparisonStat, timeseries } from '../panels.js';
import { scopeVariables } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';

/** Days averaged by the cycling trend: a whole week, so weekends weigh the same every time. */
export const BIKE_TREND_DAYS = 7;

/**
 * The cycling trend: moving average of the daily bike totals over BIKE_TREND_DAYS days. It
 * reads that many days minus one before the range, so its first point in the range already
 * averages a full week.
 */
export function bikeTrendQuery(): string {
  const lookBack = `time >= \${__from}ms - ${BIKE_TREND_DAYS - 1}d AND time <= \${__to}ms`;
  return `SELECT moving_average(sum("sum"), ${BIKE_TREND_DAYS}) FROM ${measurement('aggregate_1d')} WHERE ${where(lookBack, ...scope(tagEquals('metric', 'mobility.bike_count')))} ${byLocalDay()}`;
}

/** Mobility: traffic by vehicle class, cycling and its trend, speeds, parking occupancy. */
export function mobilityDashboard(): Dashboard {
  const metric = (id: string, time = THIS_PERIOD) => where(time, ...scope(tagEquals('metric', id)));
  const total = (id: string) => (time: string) =>
    `SELECT sum("sum") FROM ${measurement('aggregate_1d')} WHERE ${metric(id, time)}`;
  return buildDashboard({
    uid: 'terrapulse-mobility',
    title: 'Terrapulse / Mobility',
    description:
      'Traffic by vehicle class, cycling and its trend, pedestrians, average speeds, parking occupancy',
    tags: ['mobility'],
    variables: scopeVariables('mobility'),
    sections: [
      {
        title: 'Volumes',
        panels: [
          comparisonStat(
            {
              title: 'Motor vehicles',
              description: `Vehicles counted, every class. ${COMPARED}`,
              unit: 'short',
              w: 8,
              h: 6,
              decimals: 0,
            },
            total('mobility.vehicle_count'),
          ),
          comparisonStat(
            {
              title: 'Bicycles',
              description: `Bike counter passages. ${COMPARED}`,
              unit: 'short',
              w: 8,
              h: 6,
              decimals: 0,
            },
            total('mobility.bike_count'),
          ),
          comparisonStat(
            {
              title: 'Pedestrians',
              description: `Pedestrian counter passages. ${COMPARED}`,
              unit: 'short',
              w: 8,
              h: 6,
              decimals: 0,
            },
            total('mobility.pedestrian_count'),
          ),
          timeseries(
            {
              title: 'Daily traffic by vehicle class',
              description: 'Vehicles per local day, stacked by class.',
              unit: 'short',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("sum") FROM ${measurement('aggregate_1d')} WHERE ${metric('mobility.vehicle_count')} ${byLocalDay('vehicleClass')}`,
                { alias: '$tag_vehicleClass' },
              ),
            ],
            { bars: true, stacked: true },
          ),
          timeseries(
            {
              title: 'Hourly traffic by vehicle class',
              description: 'Vehicles per interval (one hour at least), stacked by class.',
              unit: 'short',
              w: 12,
              h: 8,
              minInterval: '1h',
            },
            [
              influxql(
                `SELECT sum("sum") FROM ${measurement('aggregate_1h')} WHERE ${metric('mobility.vehicle_count')} ${byInterval('vehicleClass')}`,
                { alias: '$tag_vehicleClass' },
              ),
            ],
            { bars: true, stacked: true },
          ),
        ],
      },
      {
        title: 'Cycling',
        panels: [
          timeseries(
            {
              title: 'Bicycles per day and trend',
              description: `Bike passages per local day, and their ${BIKE_TREND_DAYS}-day moving average: the trend, free of the weekday and weather swings.`,
              unit: 'short',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("sum") FROM ${measurement('aggregate_1d')} WHERE ${metric('mobility.bike_count')} ${byLocalDay()}`,
                { alias: 'per day' },
              ),
              influxql(bikeTrendQuery(), { alias: `${BIKE_TREND_DAYS}-day average` }),
            ],
          ),
          timeseries(
            {
              title: 'Bicycles per hour and counter site',
              description: 'Bike passages per interval (one hour at least).',
              unit: 'short',
              w: 12,
              h: 8,
              minInterval: '1h',
            },
            [
              influxql(
                `SELECT sum("sum") FROM ${measurement('aggregate_1h')} WHERE ${metric('mobility.bike_count')} ${byInterval('site')}`,
                {
                  alias: '$tag_site',
                },
              ),
            ],
            { bars: true },
          ),
        ],
      },
      {
        title: 'Speeds and parking',
        panels: [
          timeseries(
            {
              title: 'Average speed per road',
              description: 'Mean of the hourly average speeds the traffic counters report.',
              unit: 'velocitykmh',
              w: 12,
              h: 8,
              minInterval: '1h',
            },
            [
              influxql(
                `SELECT mean("mean") FROM ${measurement('aggregate_1h')} WHERE ${metric('mobility.average_speed')} ${byInterval('site')}`,
                { alias: '$tag_site' },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Parking occupancy',
              description: 'Occupied spaces against capacity per car park, 15-minute means.',
              unit: 'short',
              w: 12,
              h: 8,
              minInterval: '15m',
            },
            [
              influxql(
                `SELECT mean("mean") FROM ${measurement('aggregate_15m')} WHERE ${metric('mobility.parking_occupied')} ${byInterval('site')}`,
                { alias: '$tag_site occupied' },
              ),
              influxql(
                `SELECT mean("mean") FROM ${measurement('aggregate_15m')} WHERE ${metric('mobility.parking_capacity')} ${byInterval('site')}`,
                { alias: '$tag_site capacity' },
              ),
            ],
          ),
        ],
      },
    ],
  });
}
