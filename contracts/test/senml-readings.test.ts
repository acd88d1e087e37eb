import { describe, expect, it } from 'vitest';
import {
  type ResolvedSenmlRecord,
  resolveSenmlPack,
  SenmlPack,
  senmlBaseName,
  senmlRecordName,
  senmlToReadings,
} from '../src/index.js';

const T = 1_750_000_000;

function records(pack: unknown): ResolvedSenmlRecord[] {
  const result = resolveSenmlPack(SenmlPack.parse(pack), T);
  if (!result.ok) throw new Error(result.reason);
  return result.records;
}

describe('Terrapulse SenML naming', () => {
  it('builds the base name and record names of the convention', () => {
    expect(senmlBaseName('wm-0042')).toBe('urn:dev:tp:wm-0042:');
    expect(senmlRecordName('water.volume_index')).toBe('water.volume_index');
    expect(senmlRecordName('mobility.vehicle_count', { vehicleClass: 'truck' })).toBe(
      'mobility.vehicle_count/truck',
    );
  });
});

describe('senmlToReadings', () => {
  it('maps a pack following the convention to envelope readings', () => {
    const pack = [
      { bn: 'urn:dev:tp:wm-0042:', bt: T, n: 'water.volume_index', u: 'm3', v: 1234.5 },
      { n: 'water.flow', u: 'L/s', v: 0.2, t: 0.25 },
    ];
    expect(senmlToReadings(records(pack), 'wm-0042')).toEqual({
      ok: true,
      deviceId: 'wm-0042',
      readings: [
        { metric: 'water.volume_index', value: 1234.5, unit: 'm3', ts: T * 1000 },
        { metric: 'water.flow', value: 0.2, unit: 'L/s', ts: T * 1000 + 250 },
      ],
    });
  });

  it('takes the dimension value from the name segment after the metric', () => {
    const pack = [{ bn: 'urn:dev:tp:tc-7:', n: 'mobility.vehicle_count/bus', u: 'count', v: 3 }];
    const result = senmlToReadings(records(pack));
    expect(result).toMatchObject({ ok: true, deviceId: 'tc-7' });
    if (result.ok) expect(result.readings[0]?.dims).toEqual({ vehicleClass: 'bus' });
  });

  it('maps a boolean leak alarm to 1 or 0', () => {
    const pack = [{ bn: 'urn:dev:tp:ls-1:', n: 'water.leak_alarm', vb: true }];
    const result = senmlToReadings(records(pack));
    expect(result.ok && result.readings[0]?.value).toBe(1);
  });

  it('refuses a record of another device than the topic with IDENTITY_MISMATCH', () => {
    const pack = [{ bn: 'urn:dev:tp:wm-0042:', n: 'water.flow', v: 1 }];
    expect(senmlToReadings(records(pack), 'wm-0043')).toMatchObject({
      ok: false,
      reason: 'IDENTITY_MISMATCH',
    });
  });

  it('refuses a pack that mixes two devices', () => {
    const pack = [
      { bn: 'urn:dev:tp:wm-1:', n: 'water.flow', v: 1 },
      { bn: 'urn:dev:tp:wm-2:', n: 'water.flow', v: 1 },
    ];
    expect(senmlToReadings(records(pack))).toMatchObject({
      ok: false,
      reason: 'IDENTITY_MISMATCH',
      index: 1,
    });
  });

  it('refuses names outside the convention', () => {
    for (const bn of ['urn:dev:ow:10e2073a01080063:', 'urn:dev:tp:', 'urn:dev:tp:Bad_Id:']) {
      const result = senmlToReadings(records([{ bn, n: 'water.flow', v: 1 }]));
      expect(result, bn).toMatchObject({ ok: false, reason: 'SCHEMA_INVALID' });
    }
  });

  it('refuses an unknown metric with UNKNOWN_METRIC', () => {
    const pack = [{ bn: 'urn:dev:tp:wm-1:', n: 'water.temperature', v: 12 }];
    expect(senmlToReadings(records(pack))).toMatchObject({ ok: false, reason: 'UNKNOWN_METRIC', index: 0 });
  });

  it('refuses string values and a boolean for a metric that is not a state', () => {
    const string = [{ bn: 'urn:dev:tp:wm-1:', n: 'water.flow', vs: 'high' }];
    const bool = [{ bn: 'urn:dev:tp:wm-1:', n: 'water.flow', vb: true }];
    expect(senmlToReadings(records(string))).toMatchObject({ ok: false, reason: 'SCHEMA_INVALID' });
    expect(senmlToReadings(records(bool))).toMatchObject({ ok: false, reason: 'SCHEMA_INVALID' });
  });

  it('refuses dimensions a metric does not take and unknown dimension values', () => {
    const extra = [{ bn: 'urn:dev:tp:wm-1:', n: 'water.flow/car', v: 1 }];
    const unknown = [{ bn: 'urn:dev:tp:tc-1:', n: 'mobility.vehicle_count/tractor', v: 1 }];
    expect(senmlToReadings(records(extra))).toMatchObject({ ok: false, reason: 'DIMENSION_INVALID' });
    expect(senmlToReadings(records(unknown))).toMatchObject({ ok: false, reason: 'DIMENSION_INVALID' });
  });

  it('refuses a pack without any value', () => {
    expect(senmlToReadings([])).toMatchObject({ ok: false, reason: 'SCHEMA_INVALID' });
  });
});
