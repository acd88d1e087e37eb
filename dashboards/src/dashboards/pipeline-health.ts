import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { InfluxMeasurement } from '@terrapulse/contracts';
import { THIS_PERIOD } from '../comparison-periods.js';
import { buildDashboard } from '../dashboard-layout.js';
import { byInterval, byTags, matchVariable, measurement, scope, where } from '../influxql.js';
import { influxql } from '../influxql-target.js';
import { barGauge, comparisonStat, stat, table, timeseries } from '../panels.js';
import { scopeVariables } from '../variables.js';

const COMPARED = 'This period, the previous period of the same length, and the same period 52 weeks earlier.';
const PER_SECOND = '* 1000 / $__interval_ms';

/** Pipeline and fleet health: ingest, rejections, consumer lag, writes, lifecycle states, silent devices. */
export function pipelineHealthDashboard(): Dashboard {
  const scoped = where(THIS_PERIOD, ...scope(matchVariable('domain')));
  const rejections = where(THIS_PERIOD, matchVariable('device'));
  const tenant = where(THIS_PERIOD, matchVariable('tenant'));
  const stored = (kind: InfluxMeasurement, field: string, alias: string) =>
    influxql(
      `SELECT count("${field}") ${PER_SECOND} FROM ${measurement(kind)} WHERE ${scoped} ${byInterval()}`,
      {
        alias,
      },
    );
  return buildDashboard({
    uid: 'terrapulse-pipeline',
    title: 'Terrapulse / Pipeline and fleet health',
    description:
      'Ingest and write rates, rejections by reason, Kafka consumer lag, devices by lifecycle state, silent devices',
    tags: ['operations'],
    from: 'now-24h',
    variables: scopeVariables(),
    sections: [
      {
        title: 'Pipeline',
        panels: [
          timeseries(
            {
              title: 'Ingest rate',
              description:
                'Validated readings stored per second, by measurement time, per domain: a drop means devices or a stage stopped.',
              unit: 'cps',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT count("value") ${PER_SECOND} FROM ${measurement('reading')} WHERE ${scoped} ${byInterval('domain')}`,
                {
                  alias: '$tag_domain',
                },
              ),
            ],
          ),
          timeseries(
            {
              title: 'Write rate',
              description:
                'Points the influx-writer stored per second: readings by measurement time, aggregates by window start.',
              unit: 'cps',
              w: 12,
              h: 8,
            },
            [
              stored('reading', 'value', 'readings'),
              stored('aggregate_15m', 'count', '15-minute aggregates'),
              stored('aggregate_1h', 'count', 'hourly aggregates'),
              stored('aggregate_1d', 'count', 'daily aggregates'),
            ],
          ),
          timeseries(
            {
              title: 'Rejections by reason',
              description: 'Dead letters per interval by reason code, by reception time.',
              unit: 'short',
              w: 12,
              h: 8,
            },
            [
              influxql(
                `SELECT sum("count") FROM ${measurement('rejection')} WHERE ${rejections} ${byInterval('reason')}`,
                {
                  alias: '$tag_reason',
                },
              ),
            ],
            { bars: true, stacked: true },
          ),
          barGauge(
            {
              title: 'Rejections over the period',
              description: 'Dead letters of the period by reason code.',
              unit: 'short',
              w: 6,
              h: 8,
              decimals: 0,
            },
            [
              influxql(
                `SELECT sum("count") FROM ${measurement('rejection')} WHERE ${rejections} ${byTags('reason')}`,
                {
                  alias: '$tag_reason',
                },
              ),
            ],
          ),
          comparisonStat(
            {
              title: 'Rejected messages',
              description: `Dead letters, every reason. ${COMPARED}`,
              unit: 'short',
              w: 6,
              h: 8,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("count") FROM ${measurement('rejection')} WHERE ${where(time, matchVariable('device'))}`,
          ),
          timeseries(
            {
              title: 'Consumer lag',
              description:
                'Records each consumer group still has to read, summed over the partitions of its topic.',
              unit: 'short',
              w: 24,
              h: 8,
              minInterval: '30s',
            },
            [
              influxql(
                `SELECT max("lag") FROM ${measurement('pipeline_lag')} WHERE ${THIS_PERIOD} ${byInterval('group', 'topic')}`,
                {
                  alias: '$tag_group / $tag_topic',
                },
              ),
            ],
          ),
        ],
      },
      {
        title: 'Fleet',
        panels: [
          timeseries(
            {
              title: 'Devices by lifecycle state',
              description:
                'Registry snapshot every minute: registered, provisioned, active, silent, suspended...',
              unit: 'short',
              w: 12,
              h: 8,
              minInterval: '1m',
            },
            [
              influxql(
                `SELECT sum("count") FROM (SELECT last("count") AS "count" FROM ${measurement('fleet_devices')} WHERE ${tenant} ${byInterval('tenant', 'state')}) WHERE ${THIS_PERIOD} ${byInterval('state')}`,
                { alias: '$tag_state' },
              ),
            ],
            { stacked: true },
          ),
          stat(
            {
              title: 'Devices per state now',
              description: 'Latest registry snapshot of the period.',
              unit: 'short',
              w: 6,
              h: 8,
              decimals: 0,
            },
            [
              influxql(
                `SELECT sum("count") FROM (SELECT last("count") AS "count" FROM ${measurement('fleet_devices')} WHERE ${tenant} ${byTags('tenant', 'state')}) ${byTags('state')}`,
                { alias: '$tag_state' },
              ),
            ],
          ),
          comparisonStat(
            {
              title: 'Silent devices',
              description: `Devices whose latest status snapshot of the period says silent. ${COMPARED}`,
              unit: 'short',
              w: 6,
              h: 8,
              decimals: 0,
            },
            (time) =>
              `SELECT sum("silent") FROM (SELECT last("silent") AS "silent" FROM ${measurement('device_status')} WHERE ${where(time, ...scope(matchVariable('domain')))} GROUP BY "device")`,
          ),
          table(
            {
              title: 'Device status',
              description:
                'Latest snapshot per device: silent (1 when no reading came for a few expected intervals), lifecycle state, seconds since the last reading (-1: never seen).',
              unit: 'none',
              w: 24,
              h: 10,
            },
            [
              influxql(
                `SELECT last("silent") AS "silent", last("state") AS "state", last("last_seen_age_s") AS "last seen (s ago)" FROM ${measurement('device_status')} WHERE ${scoped} ${byTags('tenant', 'site', 'domain', 'device')}`,
                { format: 'table' },
              ),
            ],
          ),
        ],
      },
    ],
  });
}
