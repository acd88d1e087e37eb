import { DEFAULT_TIME_ZONE, windowBounds } from '@terrapulse/aggregator';
import type { DeviceRecord } from '@terrapulse/contracts';
import { type Logger, silentLogger } from '@terrapulse/service-kit';
import { InfluxAggregateReader } from './adapters/influxdb/influx-aggregate-reader.js';
import { InfluxHttp, type InfluxSettings } from './adapters/influxdb/influx-http.js';
import {
  type Carrier,
  type DayRange,
  DEFAULT_GAS_KWH_PER_M3,
  dayRange,
  type EmissionFactors,
  ENERGY_INDEX_METRICS,
  emissionFactorSources,
  emissionFactors,
  energyIndicators,
  energyPoint,
  localDate,
  type MeasurementNames,
  measurementNames,
  networkYieldPoint,
  networkYields,
  nightFlowPoint,
  nightFlows,
} from './domain/index.js';
import { type AggregateReader, type DeviceCatalog, type PointWriter, staticCatalog } from './ports/index.js';

/** Days computed per round of queries, so a year's backfill never loads a year of hourly points. */
const DAYS_PER_CHUNK = 7;

export interface IndicatorSettings {
  /** Time zone the aggregator cuts days in (AGGREGATOR_TIMEZONE). @default 'Europe/Paris' */
  readonly timeZone?: string;
  /** kgCO2e per kWh; a carrier left out keeps its ADEME default. */
  readonly emissionFactors?: Partial<Record<Carrier, number>>;
  /** kWh PCS per m3 of gas. @default 11.2 */
  readonly gasKwhPerM3?: number;
}

export interface IndicatorCounts {
  readonly energy: number;
  readonly nightFlow: number;
  readonly networkYield: number;
  /** Sector-days without a yield point because a meter was missing that day. */
  readonly incompleteYieldDays: number;
}

export interface IndicatorRun extends IndicatorCounts {
  /** Instants covered: the first day's start to the day after the last. */
  readonly range: DayRange;
}

export interface IndicatorComputerDeps extends IndicatorSettings {
  readonly reader: AggregateReader;
  readonly writer: PointWriter;
  readonly devices: DeviceCatalog;
  readonly names: MeasurementNames;
  readonly logger?: Logger;
}

/** Computes and writes the indicators of whole local days; the job and the CLI share it. */
export interface IndicatorComputer {
  readonly timeZone: string;
  readonly factors: EmissionFactors;
  /** Where each factor comes from, stored with every energy point. */
  readonly sources: Readonly<Record<Carrier, string>>;
  computeRange(range: DayRange): Promise<IndicatorRun>;
}

export function createIndicatorComputer(deps: IndicatorComputerDeps): IndicatorComputer {
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const factors = emissionFactors(deps.emissionFactors);
  const sources = emissionFactorSources(deps.emissionFactors);
  const gasKwhPerM3 = deps.gasKwhPerM3 ?? DEFAULT_GAS_KWH_PER_M3;
  const logger = deps.logger ?? silentLogger;
  const { reader, writer, devices, names } = deps;

  async function computeChunk(range: DayRange): Promise<IndicatorCounts> {
    const [daily, hourly] = await Promise.all([
      reader.dailyConsumption([...Object.keys(ENERGY_INDEX_METRICS), 'water.volume_index'], range),
      reader.hourlyWater(range),
    ]);
    const energy = energyIndicators(daily, {
      factors,
      gasKwhPerM3,
      floorAreaM2: (id) => devices.lookup(id)?.floorAreaM2,
    });
    const nights = nightFlows(hourly, timeZone);
    const { yields, incomplete } = networkYields(daily, (id) => devices.lookup(id)?.meterRole);
    await writer.write([
      ...energy.map((e) => energyPoint(names, e, sources[e.carrier])),
      ...nights.map((n) => nightFlowPoint(names, n)),
      ...yields.map((y) => networkYieldPoint(names, y)),
    ]);
    return {
      energy: energy.length,
      nightFlow: nights.length,
      networkYield: yields.length,
      incompleteYieldDays: incomplete,
    };
  }

  return {
    timeZone,
    factors,
    sources,
    async computeRange(range) {
      const totals = { energy: 0, nightFlow: 0, networkYield: 0, incompleteYieldDays: 0 };
      let start = range.start;
      while (start < range.end) {
        let end = start;
        for (let d = 0; d < DAYS_PER_CHUNK && end < range.end; d++)
          end = windowBounds(end, '1d', timeZone).end;
        const counts = await computeChunk({ start, end: Math.min(end, range.end) });
        totals.energy += counts.energy;
        totals.nightFlow += counts.nightFlow;
        totals.networkYield += counts.networkYield;
        totals.incompleteYieldDays += counts.incompleteYieldDays;
        start = end;
      }
      logger.info('indicators computed', {
        from: localDate(range.start, timeZone),
        to: localDate(range.end - 1, timeZone),
        ...totals,
      });
      return { range, ...totals };
    },
  };
}

/** A date as YYYY-MM-DD (local), or an instant whose local day is meant. */
export type DayBound = string | number | Date;

export interface ComputeIndicatorsOptions extends IndicatorSettings {
  /** First local day (included). */
  readonly from: DayBound;
  /** Last local day (included). */
  readonly to: DayBound;
  readonly influx: InfluxSettings & {
    /** Prefix of every measurement read and written (INFLUX_MEASUREMENT_PREFIX). @default '' */
    readonly measurementPrefix?: string;
  };
  /** The registry: a catalogue, or its records (e.g. from readRegistrySnapshot). */
  readonly devices: DeviceCatalog | Iterable<DeviceRecord>;
  readonly logger?: Logger;
}

function toDate(bound: DayBound, timeZone: string): string {
  if (typeof bound === 'string') return bound;
  return localDate(typeof bound === 'number' ? bound : bound.getTime(), timeZone);
}

function isCatalog(devices: DeviceCatalog | Iterable<DeviceRecord>): devices is DeviceCatalog {
  return typeof (devices as Partial<DeviceCatalog>).lookup === 'function';
}

/**
 * Computes the indicators of local days `from` to `to` from the stored aggregates and writes them
 * (indicator_energy_1d, indicator_night_flow, indicator_network_yield). Idempotent: a day computed
 * again overwrites its points. What the service's job and the backfill CLI run, callable directly.
 */
export async function computeIndicators(options: ComputeIndicatorsOptions): Promise<IndicatorRun> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const influx = new InfluxHttp(options.influx);
  const names = measurementNames(options.influx.measurementPrefix);
  const computer = createIndicatorComputer({
    ...options,
    timeZone,
    reader: new InfluxAggregateReader(influx, names),
    writer: influx,
    devices: isCatalog(options.devices) ? options.devices : staticCatalog(options.devices),
    names,
  });
  return computer.computeRange(
    dayRange(toDate(options.from, timeZone), toDate(options.to, timeZone), timeZone),
  );
}
