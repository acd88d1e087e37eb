import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Panel,
  type QueryVariableBuilder,
  RowBuilder,
  type RowPanel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { TERRITORY_TIMEZONE } from './datasource.js';

/** The tag every Terrapulse dashboard carries; the dashboards link to each other through it. */
export const DASHBOARD_TAG = 'terrapulse';

export interface Section {
  /** Title of the row that opens the section. */
  readonly title: string;
  readonly panels: readonly cog.Builder<Panel>[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly variables: readonly QueryVariableBuilder[];
  readonly sections: readonly Section[];
  /** Default range; the comparison panels compare it with the previous one and last year. */
  readonly from?: string;
}

/**
 * Builds one dashboard: rows of panels laid out left to right by the SDK (a panel that does
 * not fit in the 24 columns starts a new line), then numbered 1.. in reading order, because
 * Grafana needs a unique id per panel and the SDK leaves them unset.
 */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([DASHBOARD_TAG, ...spec.tags])
    .timezone(TERRITORY_TIMEZONE)
    .time({ from: spec.from ?? 'now-30d', to: 'now' })
    .refresh('5m')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    // An explicit (empty) list: Grafana's model reads annotations.list, which the SDK leaves unset.
    .annotations([])
    .link(
      new DashboardLinkBuilder('Terrapulse')
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
        .icon('external link')
        .tooltip('')
        .url('')
        .targetBlank(false),
    );
  for (const variable of spec.variables) builder.withVariable(variable);
  for (const section of spec.sections) {
    builder.withRow(new RowBuilder(section.title));
    for (const panel of section.panels) builder.withPanel(panel);
  }
  const dashboard = builder.build();
  (dashboard.panels ?? []).forEach((panel: Panel | RowPanel, index: number) => {
    panel.id = index + 1;
  });
  return dashboard;
}
