import { describe, expect, it } from 'vitest';
import {
  CanonicalUnit,
  checkPlausibility,
  convertToCanonicalUnit,
  getMetric,
  MetricDefinition,
  MetricId,
  metricCatalogue,
  metricsOfDomain,
} from '../src/index.js';

describe('metric catalogue', () => {
  it('has one valid definition per metric id, keyed by that id', () => {
    expect(Object.keys(metricCatalogue).sort()).toEqual([...MetricId.options].sort());
    for (const id of MetricId.options) {
      const metric = getMetric(id);
      expect(MetricDefinition.parse(metric)).toEqual(metric);
      expect(metric.id).toBe(id);
    }
  });

  it('prefixes every metric id with its domain', () => {
    for (const metric of Object.values(metricCatalogue))
      expect(metric.id.startsWith(`${metric.domain}.`)).toBe(true);
  });

  it('gives every metric a non-empty plausible range', () => {
    for (const metric of Object.values(metricCatalogue))
      expect(metric.range.min).toBeLessThan(metric.range.max);
  });

  it('spells every unit in plain ASCII', () => {
    for (const metric of Object.values(metricCatalogue)) {
      expect(metric.unit).toMatch(/^[\x20-\x7e]+$/);
      for (const unit of Object.keys(metric.alternativeUnits)) expect(unit).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('uses the count unit and whole numbers for every count_per_interval metric', () => {
    for (const metric of Object.values(metricCatalogue).filter((m) => m.kind === 'count_per_interval')) {
      expect(metric.unit).toBe('count');
      expect(metric.integer).toBe(true);
    }
  });

  it('describes the leak alarm as a 0/1 state', () => {
    const alarm = getMetric('water.leak_alarm');
    expect(alarm).toMatchObject({ kind: 'state', unit: 'state', range: { min: 0, max: 1 }, integer: true });
    expect(Object.keys(alarm.states ?? {})).toEqual(['0', '1']);
  });

  it('gives only the vehicle count a vehicleClass dimension', () => {
    const withDims = Object.values(metricCatalogue).filter((m) => m.dimensions.length > 0);
    expect(withDims.map((m) => m.id)).toEqual(['mobility.vehicle_count']);
    expect(getMetric('mobility.vehicle_count').dimensions).toEqual(['vehicleClass']);
  });

  it('lists the metrics of a domain', () => {
    expect(metricsOfDomain('water').map((m) => m.id)).toEqual([
      'water.volume_index',
      'water.flow',
      'water.pressure',
      'water.leak_alarm',
    ]);
  });

  it('refuses a canonical unit outside the closed list', () => {
    expect(CanonicalUnit.safeParse('m³').success).toBe(false);
  });

  it('freezes the catalogue so no service can change a range at run time', () => {
    expect(Object.isFrozen(metricCatalogue)).toBe(true);
    expect(Object.isFrozen(getMetric('water.flow'))).toBe(true);
  });
});

describe('convertToCanonicalUnit', () => {
  it('keeps a value that is already in the canonical unit', () => {
    expect(convertToCanonicalUnit('energy.active_energy_index', 12.5, 'kWh')).toEqual({
      ok: true,
      value: 12.5,
    });
  });

  it('treats a missing unit as the canonical unit', () => {
    expect(convertToCanonicalUnit('water.pressure', 3.2)).toEqual({ ok: true, value: 3.2 });
  });

  it('converts Wh to kWh without binary rounding noise', () => {
    expect(convertToCanonicalUnit('energy.active_energy_index', 1234, 'Wh')).toEqual({
      ok: true,
      value: 1.234,
    });
    expect(convertToCanonicalUnit('energy.heat_energy_index', 300, 'Wh')).toEqual({ ok: true, value: 0.3 });
  });

  it('converts litres to cubic metres and kW to W', () => {
    expect(convertToCanonicalUnit('water.volume_index', 1500, 'L')).toEqual({ ok: true, value: 1.5 });
    expect(convertToCanonicalUnit('energy.gas_volume_index', 250, 'l')).toEqual({ ok: true, value: 0.25 });
    expect(convertToCanonicalUnit('energy.active_power', 2.5, 'kW')).toEqual({ ok: true, value: 2500 });
  });

  it('converts flow, pressure and speed units', () => {
    expect(convertToCanonicalUnit('water.flow', 10, 'L/s')).toEqual({ ok: true, value: 36 });
    expect(convertToCanonicalUnit('water.pressure', 3500, 'mbar')).toEqual({ ok: true, value: 3.5 });
    expect(convertToCanonicalUnit('mobility.average_speed', 10, 'm/s')).toEqual({ ok: true, value: 36 });
  });

  it('accepts m³ and m³/h as spellings of m3 and m3/h', () => {
    expect(convertToCanonicalUnit('water.volume_index', 42, 'm³')).toEqual({ ok: true, value: 42 });
    expect(convertToCanonicalUnit('water.flow', 4.2, 'm³/h')).toEqual({ ok: true, value: 4.2 });
  });

  it('refuses a unit the metric does not accept, naming the accepted ones', () => {
    const result = convertToCanonicalUnit('energy.active_power', 5, 'kWh');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('accepted: W, kW, MW');
  });

  it('treats unit spellings as case-sensitive', () => {
    expect(convertToCanonicalUnit('energy.active_power', 5, 'mW').ok).toBe(false);
    expect(convertToCanonicalUnit('energy.active_energy_index', 5, 'kwh').ok).toBe(false);
  });
});

describe('checkPlausibility', () => {
  it('accepts a value inside the range', () => {
    expect(checkPlausibility('water.pressure', 4.5)).toEqual({ ok: true });
  });

  it('accepts negative power, which is export to the grid', () => {
    expect(checkPlausibility('energy.active_power', -3000)).toEqual({ ok: true });
  });

  it('refuses a value outside the range', () => {
    expect(checkPlausibility('water.pressure', 80).ok).toBe(false);
    expect(checkPlausibility('energy.active_energy_index', -1).ok).toBe(false);
  });

  it('refuses a fractional count and a fractional state', () => {
    expect(checkPlausibility('mobility.bike_count', 2.5).ok).toBe(false);
    expect(checkPlausibility('water.leak_alarm', 0.5).ok).toBe(false);
  });

  it('refuses a non-finite value', () => {
    expect(checkPlausibility('water.flow', Number.NaN).ok).toBe(false);
  });
});
