import { type PromSample, parsePrometheusText, sumBy, total } from './prometheus-text.js';

/** Counters summed over every instance of the pipeline at one instant. */
export interface PipelineCounters {
  readonly at: number;
  readonly bridgeForwarded: number;
  readonly validatorIn: number;
  readonly readingsOut: number;
  readonly rejectedByReason: ReadonlyMap<string, number>;
  readonly influxPoints: number;
  readonly aggregatesOut: number;
}

export function countersFrom(bodies: readonly string[], at: number): PipelineCounters {
  const samples: PromSample[] = bodies.flatMap((b) => parsePrometheusText(b));
  return {
    at,
    bridgeForwarded: total(samples, 'terrapulse_bridge_messages_forwarded_total'),
    validatorIn: total(samples, 'terrapulse_validator_messages_total'),
    readingsOut: total(samples, 'terrapulse_validator_readings_total'),
    rejectedByReason: sumBy(samples, 'terrapulse_validator_rejected_total', 'reason'),
    influxPoints: total(samples, 'terrapulse_influx_writer_points_written_total'),
    aggregatesOut: total(samples, 'terrapulse_aggregator_aggregates_total'),
  };
}

const rate = (now: number, before: number, seconds: number): number => Math.max(0, (now - before) / seconds);

/** One human line: rates between two scrapes and the consumer lag per group. */
export function statusLine(
  now: PipelineCounters,
  before: PipelineCounters,
  lag: ReadonlyMap<string, number>,
  elapsedS: number,
): string {
  const s = Math.max(0.001, (now.at - before.at) / 1000);
  const rejected = [...now.rejectedByReason]
    .map(([reason, n]) => [reason, rate(n, before.rejectedByReason.get(reason) ?? 0, s)] as const)
    .filter(([, r]) => r > 0)
    .map(([reason, r]) => `${reason} ${r.toFixed(1)}`)
    .join(', ');
  const totalRejected = [...now.rejectedByReason.values()].reduce((a, b) => a + b, 0);
  const totalRejectedBefore = [...before.rejectedByReason.values()].reduce((a, b) => a + b, 0);
  const lags = [...lag].map(([group, n]) => `${group.replace(/^tp-/, '')} ${n}`).join(', ');
  return [
    `t=${elapsedS.toFixed(0)}s`,
    `in ${rate(now.bridgeForwarded, before.bridgeForwarded, s).toFixed(0)}/s`,
    `readings ${rate(now.readingsOut, before.readingsOut, s).toFixed(0)}/s`,
    `rejected ${rate(totalRejected, totalRejectedBefore, s).toFixed(1)}/s${rejected ? ` (${rejected})` : ''}`,
    `aggregates ${rate(now.aggregatesOut, before.aggregatesOut, s).toFixed(0)}/s`,
    `influx ${rate(now.influxPoints, before.influxPoints, s).toFixed(0)} points/s`,
    `lag ${lags || '-'}`,
  ].join(' | ');
}
