import type { DeviceKind, MeterRole, MetricId } from '@terrapulse/contracts';

/**
 * The demo territory's cast: three communes and the water syndicate that serves them, the kinds
 * of sites they run, and the equipment installed on each kind of site.
 */

export interface TenantSpec {
  readonly slug: string;
  /** Short code in device ids, so an id says whose device it is. */
  readonly code: string;
  readonly name: string;
  readonly center: { readonly lat: number; readonly lon: number };
  readonly type: 'commune' | 'syndicate';
}

export const TENANTS: readonly TenantSpec[] = [
  {
    slug: 'saint-aubin',
    code: 'sa',
    name: 'Saint-Aubin',
    center: { lat: 47.624, lon: -1.853 },
    type: 'commune',
  },
  {
    slug: 'val-fleuri',
    code: 'vf',
    name: 'Val-Fleuri',
    center: { lat: 47.581, lon: -1.779 },
    type: 'commune',
  },
  { slug: 'les-ormes', code: 'lo', name: 'Les Ormes', center: { lat: 47.662, lon: -1.716 }, type: 'commune' },
  {
    slug: 'syndicat-eaux-vallee',
    code: 'sev',
    name: 'Syndicat des eaux de la Vallée',
    center: { lat: 47.62, lon: -1.78 },
    type: 'syndicate',
  },
];

export type SiteKind =
  | 'school'
  | 'town_hall'
  | 'gymnasium'
  | 'swimming_pool'
  | 'library'
  | 'water_sector'
  | 'water_production'
  | 'road'
  | 'bike_path'
  | 'car_park';

export const BUILDING_KINDS = ['school', 'town_hall', 'gymnasium', 'swimming_pool', 'library'] as const;

/** Names a commune gives its sites; numbered once a pool is used up. */
export const SITE_NAMES: Readonly<Record<SiteKind, readonly string[]>> = {
  school: [
    'École Jules Ferry',
    'École Jean Jaurès',
    'École Louise Michel',
    'École Victor Hugo',
    'École Marie Curie',
    'École Jacques Prévert',
    'École Simone Veil',
    'École Pierre et Marie Curie',
    'Collège Anne de Bretagne',
  ],
  town_hall: ['Mairie'],
  gymnasium: ['Gymnase municipal', 'Salle des sports du Bocage', 'Complexe sportif des Prés'],
  swimming_pool: ['Piscine intercommunale'],
  library: ['Médiathèque', 'Bibliothèque de quartier', 'Ludothèque'],
  water_sector: [
    'Secteur Nord',
    'Secteur Sud',
    'Secteur Est',
    'Secteur Ouest',
    'Secteur Centre',
    'Secteur Bourg',
  ],
  water_production: ['Usine de la Vallée', 'Forage des Landes'],
  road: [
    'Route de Nantes',
    'Avenue de la Gare',
    'Rue Nationale',
    'Boulevard du Général de Gaulle',
    'Route de Rennes',
    'Rue de la République',
    'Rocade Est',
    'Rue du Stade',
  ],
  bike_path: [
    'Voie verte du canal',
    'Piste cyclable des écoles',
    'Vélo-route de la Vallée',
    'Chemin du halage',
  ],
  car_park: ['Parking du centre', 'Parking de la gare', 'Parking du marché', 'Parking relais'],
};

export interface DeviceTemplate {
  readonly kind: DeviceKind;
  readonly code: string;
  readonly model: string;
  readonly metrics: readonly MetricId[];
  readonly expectedIntervalS: number;
  /** Water meters: counted as production or consumption in the sector's network yield. */
  readonly meterRole?: MeterRole;
  /** Consumption meters: share of the sector's demand they measure (the shares of a sector sum to 1). */
  readonly demandShare?: number;
}

const ELECTRICITY: DeviceTemplate = {
  kind: 'electricity_meter',
  code: 'elec',
  model: 'Enedis Linky C5',
  metrics: ['energy.active_energy_index', 'energy.active_power'],
  expectedIntervalS: 600,
};
const GAS: DeviceTemplate = {
  kind: 'gas_meter',
  code: 'gas',
  model: 'GRDF Gazpar G4',
  metrics: ['energy.gas_volume_index'],
  expectedIntervalS: 3600,
};
const HEAT: DeviceTemplate = {
  kind: 'heat_meter',
  code: 'heat',
  model: 'Kamstrup MULTICAL 603',
  metrics: ['energy.heat_energy_index'],
  expectedIntervalS: 3600,
};
/** A sector's inlet (or a plant's outlet) meter: demand, background leakage and leaks all pass it. */
const WATER_METER: DeviceTemplate = {
  kind: 'water_meter',
  code: 'wm',
  model: 'Itron Intelis wSource',
  metrics: ['water.volume_index', 'water.flow'],
  expectedIntervalS: 900,
  meterRole: 'production',
};
/**
 * The sector's delivered volume, as the subscriber meters' remote reading sums it per district:
 * two per sector, whose demand shares sum to 1, so inlet = consumers + losses.
 */
const CONSUMER_METERS: readonly DeviceTemplate[] = [0.55, 0.45].map((demandShare) => ({
  kind: 'water_meter',
  code: 'wc',
  model: 'Itron Cyble 5 (district sum of subscriber meters)',
  metrics: ['water.volume_index', 'water.flow'],
  expectedIntervalS: 900,
  meterRole: 'consumption',
  demandShare,
}));
const FLOW: DeviceTemplate = {
  kind: 'water_flow_sensor',
  code: 'wf',
  model: 'Endress+Hauser Promag W 400',
  metrics: ['water.flow'],
  expectedIntervalS: 300,
};
const PRESSURE: DeviceTemplate = {
  kind: 'pressure_sensor',
  code: 'wp',
  model: 'WIKA A-10 LoRa',
  metrics: ['water.pressure'],
  expectedIntervalS: 300,
};
const LEAK: DeviceTemplate = {
  kind: 'leak_sensor',
  code: 'wl',
  model: 'Gutermann Zonescan NET',
  metrics: ['water.leak_alarm'],
  expectedIntervalS: 3600,
};
const TRAFFIC: DeviceTemplate = {
  kind: 'traffic_counter',
  code: 'tc',
  model: 'Sterela Tagmaster MTR',
  metrics: ['mobility.vehicle_count', 'mobility.average_speed'],
  expectedIntervalS: 900,
};
const BIKE: DeviceTemplate = {
  kind: 'bike_counter',
  code: 'bc',
  model: 'Eco-Counter ZELT',
  metrics: ['mobility.bike_count'],
  expectedIntervalS: 900,
};
const PEDESTRIAN: DeviceTemplate = {
  kind: 'pedestrian_counter',
  code: 'pc',
  model: 'Eco-Counter PYRO-Box',
  metrics: ['mobility.pedestrian_count'],
  expectedIntervalS: 900,
};
const PARKING: DeviceTemplate = {
  kind: 'parking_sensor',
  code: 'pk',
  model: 'Nedap SENSIT Gateway',
  metrics: ['mobility.parking_occupied', 'mobility.parking_capacity'],
  expectedIntervalS: 300,
};

/** Equipment of each kind of site, in installation order. */
export const SITE_EQUIPMENT: Readonly<Record<SiteKind, readonly DeviceTemplate[]>> = {
  school: [ELECTRICITY, GAS],
  town_hall: [ELECTRICITY, GAS],
  gymnasium: [ELECTRICITY, HEAT],
  swimming_pool: [ELECTRICITY, GAS, HEAT],
  library: [ELECTRICITY, HEAT],
  water_sector: [WATER_METER, ...CONSUMER_METERS, FLOW, PRESSURE, PRESSURE, LEAK],
  water_production: [WATER_METER, FLOW, PRESSURE],
  road: [TRAFFIC],
  bike_path: [BIKE, PEDESTRIAN],
  car_park: [PARKING],
};

/**
 * Sites a tenant opens at each round of growth. Round 0 is the core of the territory; later rounds
 * add the sites a larger fleet needs, so any device count keeps the three domains in proportion.
 */
export function sitesOfRound(tenant: TenantSpec, round: number): SiteKind[] {
  if (tenant.type === 'syndicate') return round === 0 ? ['water_production'] : [];
  if (round === 0) {
    const core: SiteKind[] = ['town_hall', 'school', 'gymnasium', 'library', 'road', 'bike_path', 'car_park'];
    // The intercommunal pool is in the largest commune.
    return tenant.slug === 'saint-aubin'
      ? [...core, 'swimming_pool', 'water_sector']
      : [...core, 'water_sector'];
  }
  const secondBuilding: SiteKind = round % 2 === 1 ? 'gymnasium' : 'library';
  return ['school', secondBuilding, 'road', 'water_sector', 'road', 'bike_path', 'car_park'];
}
