import type { DeviceKind } from '@terrapulse/contracts';
import { hashText } from './hash.js';
import type { BuildingUse, CarParkUse } from './shapes.js';
import type { DeviceTemplate, SiteKind } from './site-catalogue.js';
import type { Site } from './territory.js';
import type { DeviceProfile, Leak } from './types.js';

/** What the devices of one site share: the building's size, the sector's demand, the road's class. */
export interface SiteTraits {
  readonly use: BuildingUse;
  readonly floorAreaM2: number;
  readonly water: {
    readonly meanFlowM3h: number;
    readonly leakageM3h: number;
    readonly staticBar: number;
    readonly dipBar: number;
    readonly leak?: Leak;
  };
  readonly road: { readonly peakVehiclesPerHour: number; readonly freeFlowKmh: number };
  readonly path: {
    readonly bikesPeak: number;
    readonly pedestriansPeak: number;
    readonly weatherSeed: number;
  };
  readonly carPark: { readonly use: CarParkUse; readonly capacity: number };
}

const between = (random: () => number, min: number, max: number): number => min + random() * (max - min);
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Road classes of a commune: a lane through a hamlet, a main street, a bypass. */
const ROAD_CLASSES = [
  { share: 0.35, peak: [120, 300], freeFlow: 50 },
  { share: 0.45, peak: [450, 900], freeFlow: 60 },
  { share: 0.2, peak: [1000, 1600], freeFlow: 90 },
] as const;

function pickRoadClass(pick: number): (typeof ROAD_CLASSES)[number] {
  let cumulative = 0;
  for (const roadClass of ROAD_CLASSES) {
    cumulative += roadClass.share;
    if (pick < cumulative) return roadClass;
  }
  return ROAD_CLASSES[1];
}

export function siteTraits(kind: SiteKind, site: Site, random: () => number, leak?: Leak): SiteTraits {
  const production = kind === 'water_production';
  const meanFlowM3h = round1(production ? between(random, 150, 320) : between(random, 15, 80));
  const road = pickRoadClass(random());
  return {
    use: (['school', 'town_hall', 'gymnasium', 'swimming_pool', 'library'] as const).includes(
      kind as BuildingUse,
    )
      ? (kind as BuildingUse)
      : 'town_hall',
    floorAreaM2: site.floorAreaM2 ?? 1000,
    water: {
      meanFlowM3h,
      // Background leakage of 12-20 % of mean demand: losses of 10-20 % of the volume put in, a French
      // network's usual range (yield 80-90 %).
      leakageM3h: round1(meanFlowM3h * between(random, 0.12, 0.2)),
      staticBar: round1(production ? between(random, 6, 8) : between(random, 3.8, 6.2)),
      dipBar: round1(between(random, 0.5, 1.3)),
      ...(leak !== undefined && { leak }),
    },
    road: {
      peakVehiclesPerHour: Math.round(between(random, road.peak[0], road.peak[1])),
      freeFlowKmh: road.freeFlow,
    },
    path: {
      bikesPeak: Math.round(between(random, 60, 260)),
      pedestriansPeak: Math.round(between(random, 80, 420)),
      weatherSeed: hashText(site.tenant),
    },
    carPark: { use: random() < 0.6 ? 'centre' : 'station', capacity: Math.round(between(random, 40, 320)) },
  };
}

/**
 * A device's own parameters, from its site's traits and a little of its own variation. A
 * consumption meter measures its share of the demand only: leakage and leaks are lost before it.
 */
export function buildDeviceProfile(
  kind: DeviceKind,
  t: SiteTraits,
  random: () => number,
  template: Pick<DeviceTemplate, 'meterRole' | 'demandShare'> = {},
): DeviceProfile {
  const area = t.floorAreaM2;
  switch (kind) {
    case 'electricity_meter': {
      // W per m2 at peak: a pool runs pumps and heat pumps, a library mostly lighting.
      const wPerM2 = t.use === 'swimming_pool' ? 40 : t.use === 'library' ? 14 : between(random, 15, 25);
      return {
        type: 'electricity',
        use: t.use,
        peakW: Math.round(area * wPerM2),
        initialKwh: Math.round(between(random, 10_000, 500_000)),
      };
    }
    case 'gas_meter':
      return {
        type: 'gas',
        use: t.use,
        designM3h: round1(area * (t.use === 'swimming_pool' ? 0.02 : 0.01)),
        baseM3h: round1(t.use === 'swimming_pool' ? between(random, 3, 6) : between(random, 0.2, 1)),
        initialM3: Math.round(between(random, 5_000, 200_000)),
      };
    case 'heat_meter':
      return {
        type: 'heat',
        use: t.use,
        designKw: Math.round(area * (t.use === 'swimming_pool' ? 0.1 : 0.08)),
        initialKwh: Math.round(between(random, 50_000, 900_000)),
      };
    case 'water_meter': {
      const delivered = template.meterRole === 'consumption';
      return {
        type: 'water_meter',
        meanFlowM3h: delivered ? t.water.meanFlowM3h * (template.demandShare ?? 1) : t.water.meanFlowM3h,
        leakageM3h: delivered ? 0 : t.water.leakageM3h,
        ...(!delivered && t.water.leak !== undefined && { leak: t.water.leak }),
        initialM3: Math.round(between(random, 10_000, 1_000_000)),
      };
    }
    case 'water_flow_sensor':
      return {
        type: 'water_flow',
        meanFlowM3h: t.water.meanFlowM3h,
        leakageM3h: t.water.leakageM3h,
        ...(t.water.leak !== undefined && { leak: t.water.leak }),
      };
    case 'pressure_sensor':
      return {
        type: 'pressure',
        // Two sensors of a sector differ by altitude: a few tenths of a bar.
        staticBar: round1(t.water.staticBar + between(random, -0.4, 0.4)),
        dipBar: t.water.dipBar,
        ...(t.water.leak !== undefined && { leak: t.water.leak }),
      };
    case 'leak_sensor':
      return { type: 'leak', ...(t.water.leak !== undefined && { leak: t.water.leak }) };
    case 'traffic_counter':
      return { type: 'traffic', ...t.road };
    case 'bike_counter':
      return { type: 'bike', peakPerHour: t.path.bikesPeak, weatherSeed: t.path.weatherSeed };
    case 'pedestrian_counter':
      return { type: 'pedestrian', peakPerHour: t.path.pedestriansPeak, weatherSeed: t.path.weatherSeed };
    case 'parking_sensor':
      return { type: 'parking', ...t.carPark };
  }
}
