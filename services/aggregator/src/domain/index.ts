export {
  type ConsumptionFold,
  type ConsumptionOptions,
  type ConsumptionResult,
  computeConsumption,
  DEFAULT_RESET_RATIO,
  foldIndex,
  indexStep,
  type StepKind,
  startConsumption,
} from './consumption.js';
export { type LaneSnapshot, Series, type SeriesMeta, type SeriesSnapshot, seriesMetaOf } from './series.js';
export { seriesKey } from './series-key.js';
export { TimeZoneRules, type Transition, timeZoneRules } from './time-zone-rules.js';
export {
  type Aggregate,
  type Domain,
  type MetricKind,
  type NormalizedReading,
  type TimedValue,
  WINDOW_KINDS,
  type WindowKind,
} from './types.js';
export {
  DEFAULT_TIME_ZONE,
  type WindowBounds,
  WindowCalendar,
  windowBounds,
  windowCalendar,
} from './window-bounds.js';
export { type AddOutcome, type WindowSnapshot, WindowState, type WindowStats } from './window-state.js';
export {
  ApplyOutcome,
  type ApplyResult,
  WindowStore,
  type WindowStoreOptions,
  type WindowStoreSnapshot,
} from './window-store.js';
