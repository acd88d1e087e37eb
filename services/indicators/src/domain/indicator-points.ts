import type { EnergyIndicator } from './energy-indicators.js';
import type { DeviceStatus, FleetCount } from './fleet-status.js';
import type { MeasurementNames, Point } from './line-protocol.js';
import type { NetworkYield } from './network-yield.js';
import type { NightFlow } from './night-flow.js';

/**
 * Indicator values -> the points of the agreed schema (SCHEMA.md). `factorSource` says where the
 * emission factor comes from, so a dashboard shows it next to the value.
 */
export function energyPoint(names: MeasurementNames, e: EnergyIndicator, factorSource?: string): Point {
  return {
    measurement: names.indicator_energy_1d,
    tags: { tenant: e.tenant, site: e.site, device: e.device, carrier: e.carrier, metric: e.metric },
    fields: {
      consumption_kwh: { float: e.consumptionKwh },
      co2e_kg: { float: e.co2eKg },
      emission_factor_kg_per_kwh: { float: e.emissionFactorKgPerKwh },
      ...(factorSource !== undefined && { emission_factor_source: { string: factorSource } }),
      ...(e.kwhPerM2 !== undefined && { kwh_per_m2: { float: e.kwhPerM2 } }),
    },
    time: e.time,
  };
}

export function nightFlowPoint(names: MeasurementNames, n: NightFlow): Point {
  return {
    measurement: names.indicator_night_flow,
    tags: { tenant: n.tenant, site: n.site, device: n.device },
    fields: { min_night_flow_m3h: { float: n.minNightFlowM3h }, hours: { int: n.hours } },
    time: n.time,
  };
}

export function networkYieldPoint(names: MeasurementNames, y: NetworkYield): Point {
  return {
    measurement: names.indicator_network_yield,
    tags: { tenant: y.tenant, site: y.site },
    fields: {
      produced_m3: { float: y.producedM3 },
      consumed_m3: { float: y.consumedM3 },
      losses_m3: { float: y.lossesM3 },
      yield: { float: y.yield },
    },
    time: y.time,
  };
}

export function fleetPoint(names: MeasurementNames, c: FleetCount, time: number): Point {
  return {
    measurement: names.fleet_devices,
    tags: { tenant: c.tenant, state: c.state },
    fields: { count: { int: c.count } },
    time,
  };
}

export function deviceStatusPoint(names: MeasurementNames, s: DeviceStatus, time: number): Point {
  return {
    measurement: names.device_status,
    tags: { tenant: s.tenant, site: s.site, domain: s.domain, device: s.device },
    fields: {
      state: { string: s.state },
      silent: { int: s.silent },
      last_seen_age_s: { float: s.lastSeenAgeS },
    },
    time,
  };
}

export function pipelineLagPoint(
  names: MeasurementNames,
  lag: { readonly group: string; readonly topic: string; readonly lag: number },
  time: number,
): Point {
  return {
    measurement: names.pipeline_lag,
    tags: { group: lag.group, topic: lag.topic },
    fields: { lag: { int: lag.lag } },
    time,
  };
}
