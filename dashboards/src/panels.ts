import { PanelBuilder as BarChartBuilder } from '@grafana/grafana-foundation-sdk/barchart';
import { PanelBuilder as BarGaugeBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
  VizOrientation,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { COMPARISON_PERIODS } from './comparison-periods.js';
import { DATASOURCE } from './datasource.js';
import { type InfluxQlTargetBuilder, influxql } from './influxql-target.js';

/** What every panel states: a title, what it shows and how it is computed, a unit, a size. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id (`kwatth`, `m3`, `masskg`...) or `suffix:<text>`. */
  readonly unit: string;
  /** Width in grid columns (of 24). */
  readonly w: number;
  /** Height in grid rows. */
  readonly h: number;
  readonly decimals?: number;
  /** Smallest `$__interval` the panel asks for: the resolution of the series it reads. */
  readonly minInterval?: string;
}

type AnyPanelBuilder = TimeseriesBuilder | StatBuilder | BarGaugeBuilder | TableBuilder | BarChartBuilder;

function common<T extends AnyPanelBuilder>(
  builder: T,
  spec: PanelSpec,
  targets: readonly InfluxQlTargetBuilder[],
): T {
  if (targets.length === 0) throw new Error(`panel "${spec.title}" has no query`);
  builder
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.w)
    .height(spec.h)
    .targets(targets.map((t, i) => t.refId(String.fromCharCode(65 + i))));
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  if (spec.minInterval !== undefined) builder.interval(spec.minInterval);
  return builder;
}

function legend(placement = LegendPlacement.Bottom): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.List)
    .placement(placement)
    .calcs([]);
}

export interface TimeseriesOptions {
  /** Bars (daily or hourly totals) instead of lines (instantaneous values). */
  readonly bars?: boolean;
  /** Stack the series (shares of one total: vehicle classes, lifecycle states). */
  readonly stacked?: boolean;
}

export function timeseries(
  spec: PanelSpec,
  targets: readonly InfluxQlTargetBuilder[],
  options: TimeseriesOptions = {},
): TimeseriesBuilder {
  const builder = common(new TimeseriesBuilder(), spec, targets)
    .legend(legend())
    .drawStyle(options.bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
    .fillOpacity(options.bars ? 80 : 10)
    .lineWidth(1)
    .spanNulls(false);
  if (options.stacked) builder.stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'));
  return builder;
}

/** One or more single values, each the last value its query returned. */
export function stat(spec: PanelSpec, targets: readonly InfluxQlTargetBuilder[]): StatBuilder {
  return common(new StatBuilder(), spec, targets)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(BigValueGraphMode.None)
    .colorMode(BigValueColorMode.Value)
    .textMode(BigValueTextMode.ValueAndName)
    .orientation(VizOrientation.Horizontal);
}

/**
 * A stat of one value over this period, the previous period and the same period last year:
 * `select(time)` is the query with `time` as its time condition.
 */
export function comparisonStat(spec: PanelSpec, select: (time: string) => string): StatBuilder {
  return stat(
    spec,
    COMPARISON_PERIODS.map((p) => influxql(select(p.time), { alias: p.label })),
  );
}

/** One horizontal bar per series (per site, per reason...), each the total its query returned. */
export function barGauge(spec: PanelSpec, targets: readonly InfluxQlTargetBuilder[]): BarGaugeBuilder {
  return common(new BarGaugeBuilder(), spec, targets)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(BarGaugeDisplayMode.Gradient)
    .orientation(VizOrientation.Horizontal)
    .showUnfilled(true);
}

/** Rows of a table-format query (GROUP BY tags become columns). */
export function table(spec: PanelSpec, targets: readonly InfluxQlTargetBuilder[]): TableBuilder {
  return common(new TableBuilder(), spec, targets).showHeader(true);
}

/** Bars along a category (a tag column of a table-format query). */
export function barChart(
  spec: PanelSpec,
  targets: readonly InfluxQlTargetBuilder[],
  xField: string,
): BarChartBuilder {
  return common(new BarChartBuilder(), spec, targets)
    .xField(xField)
    .orientation(VizOrientation.Horizontal)
    .legend(legend())
    .stacking(StackingMode.None);
}
