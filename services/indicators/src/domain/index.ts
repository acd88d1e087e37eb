export {
  CARRIERS,
  type Carrier,
  carrierOfMetric,
  consumptionKwh,
  DEFAULT_EMISSION_FACTORS,
  DEFAULT_GAS_KWH_PER_M3,
  type EmissionFactor,
  type EmissionFactors,
  ENERGY_INDEX_METRICS,
  emissionFactorSources,
  emissionFactors,
} from './emission-factors.js';
export { type EnergyIndicator, type EnergyOptions, energyIndicators } from './energy-indicators.js';
export { type DeviceStatus, deviceStatus, type FleetCount, fleetCounts } from './fleet-status.js';
export {
  deviceStatusPoint,
  energyPoint,
  fleetPoint,
  networkYieldPoint,
  nightFlowPoint,
  pipelineLagPoint,
} from './indicator-points.js';
export {
  type FieldValue,
  type MeasurementNames,
  measurementNames,
  type Point,
  SOURCE_MEASUREMENTS,
  toLine,
} from './line-protocol.js';
export { type DayRange, dayRange, lastDays, localDate, localDayStart, localHour } from './local-days.js';
export { type NetworkYield, type NetworkYieldResult, networkYields } from './network-yield.js';
export { NIGHT_END_HOUR, NIGHT_FIRST_HOUR, type NightFlow, nightFlows } from './night-flow.js';
export type { AggregateRow } from './series-row.js';
