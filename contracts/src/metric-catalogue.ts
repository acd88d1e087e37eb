import { z } from 'zod';
import { DimensionName } from './dimensions.js';

export const Domain = z.enum(['energy', 'water', 'mobility']).describe('Domain of a metric or device');
export type Domain = z.infer<typeof Domain>;

/**
 * How a metric's values combine over time; the aggregator picks its arithmetic from it:
 * - cumulative_index: a meter index that only grows; consumption is the difference of two indexes.
 * - instantaneous: a gauge sampled at `ts`; windows keep min, max, mean and last.
 * - count_per_interval: events counted since the previous reading; windows sum them. The reading's
 *   `ts` is the START of the counting interval, so a count lands in the window it was counted in.
 * - state: a discrete code (0/1 alarm); windows keep last and max (max = "was it ever raised").
 */
export const MetricKind = z
  .enum(['cumulative_index', 'instantaneous', 'count_per_interval', 'state'])
  .describe('How values of the metric combine over time');
export type MetricKind = z.infer<typeof MetricKind>;

/** Canonical units, plain ASCII so they survive every tag, header and dashboard unchanged. */
export const CanonicalUnit = z
  .enum(['kWh', 'W', 'm3', 'm3/h', 'bar', 'km/h', 'count', 'state'])
  .describe('Canonical unit of a metric');
export type CanonicalUnit = z.infer<typeof CanonicalUnit>;

/** Spellings accepted for any metric as the same unit: devices and SenML libraries print `m³`. */
export const UNIT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'm³': 'm3',
  'm³/h': 'm3/h',
});

export const MetricId = z
  .enum([
    'energy.active_energy_index',
    'energy.active_power',
    'energy.gas_volume_index',
    'energy.heat_energy_index',
    'water.volume_index',
    'water.flow',
    'water.pressure',
    'water.leak_alarm',
    'mobility.vehicle_count',
    'mobility.bike_count',
    'mobility.pedestrian_count',
    'mobility.average_speed',
    'mobility.parking_occupied',
    'mobility.parking_capacity',
  ])
  .describe('Metric identifier from the Terrapulse metric catalogue');
export type MetricId = z.infer<typeof MetricId>;

export const MetricDefinition = z.strictObject({
  id: MetricId,
  domain: Domain,
  unit: CanonicalUnit,
  kind: MetricKind,
  description: z.string().min(1),
  /** Values outside are physically implausible for a territory's equipment and are rejected. */
  range: z.strictObject({ min: z.number(), max: z.number() }),
  /** Counts and states are whole numbers; 2.5 cars is a device bug, not a reading. */
  integer: z.boolean(),
  /** Accepted unit spelling -> factor that turns a value in that unit into the canonical unit. */
  alternativeUnits: z.record(z.string().min(1), z.number().positive()),
  dimensions: z.array(DimensionName),
  /** Meaning of each code of a `state` metric, for dashboards and alert texts. */
  states: z.record(z.string(), z.string()).optional(),
});
export type MetricDefinition = z.infer<typeof MetricDefinition>;

type Entry = Omit<MetricDefinition, 'id' | 'alternativeUnits' | 'dimensions' | 'integer'> &
  Partial<Pick<MetricDefinition, 'alternativeUnits' | 'dimensions' | 'integer'>>;

const ENERGY_UNITS = { Wh: 0.001, MWh: 1000 };
const LITRES = { L: 0.001, l: 0.001 };
const COUNT_RANGE = (max: number) => ({ min: 0, max });

const entries = {
  'energy.active_energy_index': {
    domain: 'energy',
    unit: 'kWh',
    kind: 'cumulative_index',
    description: 'Electricity meter active energy index (imported energy register)',
    range: { min: 0, max: 1e9 },
    alternativeUnits: ENERGY_UNITS,
  },
  'energy.active_power': {
    domain: 'energy',
    unit: 'W',
    kind: 'instantaneous',
    // Negative values are export to the grid (solar roofs on public buildings), not errors.
    description: 'Active electrical power; negative when the site exports',
    range: { min: -1e7, max: 1e7 },
    alternativeUnits: { kW: 1000, MW: 1e6 },
  },
  'energy.gas_volume_index': {
    domain: 'energy',
    unit: 'm3',
    kind: 'cumulative_index',
    description: 'Gas meter volume index',
    range: { min: 0, max: 1e9 },
    alternativeUnits: LITRES,
  },
  'energy.heat_energy_index': {
    domain: 'energy',
    unit: 'kWh',
    kind: 'cumulative_index',
    description: 'Heat meter energy index (district heating substation, boiler room)',
    range: { min: 0, max: 1e9 },
    alternativeUnits: ENERGY_UNITS,
  },
  'water.volume_index': {
    domain: 'water',
    unit: 'm3',
    kind: 'cumulative_index',
    description: 'Water meter volume index',
    range: { min: 0, max: 1e9 },
    alternativeUnits: LITRES,
  },
  'water.flow': {
    domain: 'water',
    unit: 'm3/h',
    kind: 'instantaneous',
    // District meters measure reverse flow, and reverse flow is what leak hunting looks for.
    description: 'Water flow rate; negative for reverse flow',
    range: { min: -1e4, max: 1e5 },
    alternativeUnits: { 'L/s': 3.6, 'l/s': 3.6, 'L/min': 0.06, 'l/min': 0.06, 'L/h': 0.001, 'l/h': 0.001 },
  },
  'water.pressure': {
    domain: 'water',
    unit: 'bar',
    kind: 'instantaneous',
    description: 'Water gauge pressure (-1 bar is vacuum)',
    range: { min: -1, max: 25 },
    alternativeUnits: { mbar: 0.001, kPa: 0.01, hPa: 0.001, MPa: 10 },
  },
  'water.leak_alarm': {
    domain: 'water',
    unit: 'state',
    kind: 'state',
    description: 'Leak alarm raised by a meter or a leak sensor',
    range: { min: 0, max: 1 },
    integer: true,
    states: { '0': 'no leak', '1': 'leak suspected' },
  },
  'mobility.vehicle_count': {
    domain: 'mobility',
    unit: 'count',
    kind: 'count_per_interval',
    description: 'Motor vehicles counted in the interval; classifying counters send one reading per class',
    range: COUNT_RANGE(50_000),
    integer: true,
    dimensions: ['vehicleClass'],
  },
  'mobility.bike_count': {
    domain: 'mobility',
    unit: 'count',
    kind: 'count_per_interval',
    description: 'Bicycles counted in the interval',
    range: COUNT_RANGE(20_000),
    integer: true,
  },
  'mobility.pedestrian_count': {
    domain: 'mobility',
    unit: 'count',
    kind: 'count_per_interval',
    description: 'Pedestrians counted in the interval',
    range: COUNT_RANGE(100_000),
    integer: true,
  },
  'mobility.average_speed': {
    domain: 'mobility',
    unit: 'km/h',
    kind: 'instantaneous',
    description: 'Average speed of the vehicles that passed the counter',
    range: { min: 0, max: 250 },
    alternativeUnits: { 'm/s': 3.6 },
  },
  'mobility.parking_occupied': {
    domain: 'mobility',
    unit: 'count',
    kind: 'instantaneous',
    description: 'Occupied spaces of a car park or parking zone',
    range: COUNT_RANGE(100_000),
    integer: true,
  },
  'mobility.parking_capacity': {
    domain: 'mobility',
    unit: 'count',
    kind: 'instantaneous',
    description: 'Spaces currently open to parking (capacity varies with works and events)',
    range: COUNT_RANGE(100_000),
    integer: true,
  },
} satisfies Record<MetricId, Entry>;

function define(id: MetricId, entry: Entry): MetricDefinition {
  return Object.freeze({
    id,
    ...entry,
    range: Object.freeze({ ...entry.range }),
    integer: entry.integer ?? false,
    ...(entry.states !== undefined && { states: Object.freeze({ ...entry.states }) }),
    alternativeUnits: Object.freeze({ ...(entry.alternativeUnits ?? {}) }),
    dimensions: Object.freeze([...(entry.dimensions ?? [])]) as DimensionName[],
  });
}

export const metricCatalogue: Readonly<Record<MetricId, MetricDefinition>> = Object.freeze(
  Object.fromEntries(MetricId.options.map((id) => [id, define(id, entries[id])])) as Record<
    MetricId,
    MetricDefinition
  >,
);

export function getMetric(id: MetricId): MetricDefinition {
  return metricCatalogue[id];
}

export function metricsOfDomain(domain: Domain): MetricDefinition[] {
  return MetricId.options.map(getMetric).filter((m) => m.domain === domain);
}

export type UnitConversion = { ok: true; value: number } | { ok: false; reason: string };

/** Applies the factor so that decimal factors (0.001) divide by an integer instead of multiplying by an inexact float. */
function applyFactor(value: number, factor: number): number {
  const inverse = 1 / factor;
  return factor < 1 && Number.isInteger(inverse) ? value / inverse : value * factor;
}

/**
 * Converts a value sent in `unit` to the metric's canonical unit. A missing unit means the canonical
 * one. Unit spellings are case-sensitive on purpose: `mW` and `MW` differ by a factor of a billion.
 */
export function convertToCanonicalUnit(metricId: MetricId, value: number, unit?: string): UnitConversion {
  const metric = metricCatalogue[metricId];
  if (metric === undefined) return { ok: false, reason: `unknown metric ${JSON.stringify(metricId)}` };
  if (unit === undefined) return { ok: true, value };
  const spelled = UNIT_ALIASES[unit] ?? unit;
  if (spelled === metric.unit) return { ok: true, value };
  const factor = metric.alternativeUnits[spelled];
  if (factor === undefined) {
    const accepted = [metric.unit, ...Object.keys(metric.alternativeUnits)].join(', ');
    return {
      ok: false,
      reason: `unit ${JSON.stringify(unit)} is not accepted for ${metricId} (accepted: ${accepted})`,
    };
  }
  return { ok: true, value: applyFactor(value, factor) };
}

export type PlausibilityCheck = { ok: true } | { ok: false; reason: string };

/** Checks a value already in the canonical unit against the metric's range and integrality. */
export function checkPlausibility(metricId: MetricId, value: number): PlausibilityCheck {
  const metric = metricCatalogue[metricId];
  if (!Number.isFinite(value)) return { ok: false, reason: `${metricId} value is not a finite number` };
  if (metric.integer && !Number.isInteger(value)) {
    return { ok: false, reason: `${metricId} takes whole numbers, got ${value}` };
  }
  if (value < metric.range.min || value > metric.range.max) {
    return {
      ok: false,
      reason: `${metricId} value ${value} ${metric.unit} is outside [${metric.range.min}, ${metric.range.max}]`,
    };
  }
  return { ok: true };
}
