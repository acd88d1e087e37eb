export { buildDashboards } from './catalogue.js';
export { COMPARISON_PERIODS, type ComparisonPeriod, THIS_PERIOD } from './comparison-periods.js';
export { DASHBOARD_TAG } from './dashboard-layout.js';
export { BIKE_TREND_DAYS, bikeTrendQuery } from './dashboards/mobility.js';
export { DATASOURCE, DATASOURCE_UID, TERRITORY_TIMEZONE } from './datasource.js';
export type { InfluxQlTarget } from './influxql-target.js';
export {
  BUILT_IN_VARIABLES,
  dashboardPanels,
  defaultVariableValues,
  escapeRegexValue,
  formatInterval,
  formatSelection,
  type PanelQuery,
  panelQueries,
  type QueryContext,
  queryMeasurements,
  referencedVariables,
  substituteVariables,
  withMeasurementPrefix,
} from './panel-queries.js';
export { diffGenerated, renderDashboards, stableJson } from './render.js';
export { ALL_VALUE, VARIABLE_SOURCE } from './variables.js';
