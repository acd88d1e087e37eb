import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE } from './datasource.js';

/**
 * A raw InfluxQL target of Grafana's InfluxDB datasource, as its query editor saves it in raw
 * mode. The foundation SDK has no InfluxDB query type, so this is the one place that knows it.
 */
export interface InfluxQlTarget {
  refId: string;
  datasource: DataSourceRef;
  rawQuery: true;
  query: string;
  /** `time_series`: one frame per series; `table`: rows with the GROUP BY tags as columns. */
  resultFormat: 'time_series' | 'table';
  /** Series name shown in legends; `$tag_<name>` picks a GROUP BY tag. */
  alias?: string;
}

export type ResultFormat = InfluxQlTarget['resultFormat'];

export interface TargetOptions {
  readonly alias?: string;
  readonly format?: ResultFormat;
}

/** Builds an InfluxQL target; the panel helpers give it its refId. */
export class InfluxQlTargetBuilder implements cog.Builder<cog.Dataquery> {
  private refIdValue = 'A';

  constructor(
    readonly query: string,
    private readonly options: TargetOptions = {},
  ) {}

  refId(refId: string): this {
    this.refIdValue = refId;
    return this;
  }

  build(): cog.Dataquery {
    const target: InfluxQlTarget = {
      refId: this.refIdValue,
      datasource: { ...DATASOURCE },
      rawQuery: true,
      query: this.query,
      resultFormat: this.options.format ?? 'time_series',
      ...(this.options.alias !== undefined && { alias: this.options.alias }),
    };
    // cog's marker method is not data: JSON.stringify drops it, like the SDK's own query types.
    return { ...target, _implementsDataqueryVariant: () => {} };
  }
}

/** A raw InfluxQL query for a panel. */
export function influxql(query: string, options: TargetOptions = {}): InfluxQlTargetBuilder {
  return new InfluxQlTargetBuilder(query, options);
}
