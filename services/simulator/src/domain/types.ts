import type { DeviceRecord, MetricId, VehicleClass } from '@terrapulse/contracts';
import type { BuildingUse, CarParkUse } from './shapes.js';

/** A leak on a water sector: from `startsAt` (epoch ms) on, `flowM3h` more water runs day and night. */
export interface Leak {
  readonly startsAt: number;
  readonly flowM3h: number;
}

/**
 * What drives a device's values. Each variant holds only physical parameters; the shapes over the
 * day, the week and the year come from the site's use (shapes.ts).
 */
export type DeviceProfile =
  | {
      readonly type: 'electricity';
      readonly use: BuildingUse;
      readonly peakW: number;
      readonly initialKwh: number;
    }
  | {
      readonly type: 'gas';
      readonly use: BuildingUse;
      /** Gas burnt per hour at design heating load (a cold January day). */
      readonly designM3h: number;
      /** Hot water and kitchens, all year round. */
      readonly baseM3h: number;
      readonly initialM3: number;
    }
  | {
      readonly type: 'heat';
      readonly use: BuildingUse;
      readonly designKw: number;
      readonly initialKwh: number;
    }
  | {
      readonly type: 'water_meter';
      /** Mean demand of the sector over a day. */
      readonly meanFlowM3h: number;
      /** Background losses of the network, day and night: what a night minimum flow reveals. */
      readonly leakageM3h: number;
      readonly leak?: Leak;
      readonly initialM3: number;
    }
  | {
      readonly type: 'water_flow';
      readonly meanFlowM3h: number;
      readonly leakageM3h: number;
      readonly leak?: Leak;
    }
  | {
      readonly type: 'pressure';
      readonly staticBar: number;
      /** Pressure lost at peak demand, from head losses in the mains. */
      readonly dipBar: number;
      readonly leak?: Leak;
    }
  | { readonly type: 'leak'; readonly leak?: Leak }
  | {
      readonly type: 'traffic';
      readonly peakVehiclesPerHour: number;
      readonly freeFlowKmh: number;
    }
  | { readonly type: 'bike'; readonly peakPerHour: number; readonly weatherSeed: number }
  | { readonly type: 'pedestrian'; readonly peakPerHour: number; readonly weatherSeed: number }
  | { readonly type: 'parking'; readonly use: CarParkUse; readonly capacity: number };

export interface SimDevice {
  readonly record: DeviceRecord;
  readonly profile: DeviceProfile;
  /**
   * False for a device that has MQTT credentials but no registry record: the validator must
   * refuse its readings with UNKNOWN_DEVICE.
   */
  readonly registered: boolean;
  /** Seed of the device's noise, independent of the id prefix so a test fleet behaves as the demo. */
  readonly noiseSeed: number;
  /** Time zone of the device's load curves (the record's, or the territory's default). */
  readonly timezone: string;
}

/** One value a device measured. */
export interface SimReading {
  readonly metric: MetricId;
  readonly value: number;
  /** Epoch ms; a count is stamped with the start of its interval. */
  readonly ts: number;
  readonly vehicleClass?: VehicleClass;
}

/**
 * One uplink of a device: instantaneous values, indexes and states are measured `at`; counts cover
 * [countFrom, countTo) and are stamped `countFrom`.
 */
export interface Tick {
  readonly at: number;
  readonly countFrom: number;
  readonly countTo: number;
}
