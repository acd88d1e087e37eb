import {
  deviceUplinkTopic,
  MAX_REJECTED_RAW_BYTES,
  NormalizedReading,
  Rejection,
  senmlBaseName,
} from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { createUplinkValidator, defaultValidationPolicy, type RawUplink } from '../src/domain/index.js';
import { deviceRecord, envelope, RECEIVED_AT, rawUplink, tableOf, trafficCounter } from './fixtures.js';

const table = tableOf(
  deviceRecord(),
  trafficCounter(),
  deviceRecord({ deviceId: 'wm-suspended', state: 'suspended' }),
  deviceRecord({ deviceId: 'wm-retired', state: 'decommissioned' }),
  deviceRecord({ deviceId: 'wm-new', state: 'registered' }),
  deviceRecord({ deviceId: 'wm-silent', state: 'silent' }),
  deviceRecord({ deviceId: 'wm-provisioned', state: 'provisioned' }),
);
const validate = createUplinkValidator({ lookup: table.lookup, policy: defaultValidationPolicy });

function validateOne(uplink: RawUplink) {
  const result = validate(uplink, 3);
  for (const reading of result.readings) expect(NormalizedReading.safeParse(reading).success).toBe(true);
  for (const rejection of result.rejections) expect(Rejection.safeParse(rejection).success).toBe(true);
  return result;
}

function rejectedWith(uplink: RawUplink) {
  const result = validateOne(uplink);
  expect(result.readings).toEqual([]);
  expect(result.rejections).toHaveLength(1);
  return result.rejections[0];
}

describe('validator on the native envelope', () => {
  it('normalizes every reading to the canonical unit with tenant and site from the registry', () => {
    const result = validateOne(
      rawUplink(
        envelope([
          { metric: 'water.volume_index', value: 1234.5, unit: 'm³' },
          { metric: 'water.flow', value: 0.5, unit: 'L/s', ts: '2026-03-01T10:59:30+01:00' },
        ]),
      ),
    );
    expect(result.key).toBe('wm-0001');
    expect(result.rejections).toEqual([]);
    expect(result.readings).toEqual([
      {
        deviceId: 'wm-0001',
        tenant: 'commune-a',
        site: 'ecole-jaures',
        domain: 'water',
        metric: 'water.volume_index',
        kind: 'cumulative_index',
        unit: 'm3',
        value: 1234.5,
        ts: RECEIVED_AT - 60_000,
        receivedAt: RECEIVED_AT,
        dims: {},
        sourceSeq: 7,
      },
      {
        deviceId: 'wm-0001',
        tenant: 'commune-a',
        site: 'ecole-jaures',
        domain: 'water',
        metric: 'water.flow',
        kind: 'instantaneous',
        unit: 'm3/h',
        value: 1.8,
        ts: RECEIVED_AT - 30_000,
        receivedAt: RECEIVED_AT,
        dims: {},
        sourceSeq: 7,
      },
    ]);
  });

  it('stamps a reading with the bridge receive time when neither reading nor envelope has a ts', () => {
    const payload = { v: 1, deviceId: 'wm-0001', readings: [{ metric: 'water.flow', value: 2 }] };
    const [reading] = validateOne(rawUplink(payload)).readings;
    expect(reading?.ts).toBe(RECEIVED_AT);
    expect(reading?.sourceSeq).toBeUndefined();
  });

  it('accepts readings from provisioned and silent devices', () => {
    for (const deviceId of ['wm-provisioned', 'wm-silent']) {
      const result = validateOne(
        rawUplink(envelope([{ metric: 'water.flow', value: 1 }], { deviceId }), { deviceId }),
      );
      expect(result.readings).toHaveLength(1);
    }
  });

  it('refuses malformed JSON with MALFORMED_PAYLOAD and keeps the original bytes', () => {
    const bytes = Buffer.from('{"v":1,"deviceId":"wm-0001",');
    const rejection = rejectedWith(rawUplink(bytes));
    expect(rejection?.reason).toBe('MALFORMED_PAYLOAD');
    expect(Buffer.from(rejection?.rawBase64 ?? '', 'base64')).toEqual(bytes);
    expect(rejection?.rawTruncated).toBeUndefined();
    expect(rejection).toMatchObject({
      topic: deviceUplinkTopic('wm-0001', 'json'),
      deviceIdHint: 'wm-0001',
      receivedAt: RECEIVED_AT,
      source: { partition: 3, offset: '42' },
    });
  });

  it('refuses bytes that are not UTF-8 with MALFORMED_PAYLOAD', () => {
    expect(rejectedWith(rawUplink(new Uint8Array([0x7b, 0xff, 0x7d])))?.reason).toBe('MALFORMED_PAYLOAD');
  });

  it('refuses a payload over 64 KiB with PAYLOAD_TOO_LARGE and keeps only the first 64 KiB', () => {
    const huge = Buffer.alloc(MAX_REJECTED_RAW_BYTES + 10, 0x20);
    const rejection = rejectedWith(rawUplink(huge));
    expect(rejection?.reason).toBe('PAYLOAD_TOO_LARGE');
    expect(rejection?.rawTruncated).toBe(true);
    expect(Buffer.from(rejection?.rawBase64 ?? '', 'base64').byteLength).toBe(MAX_REJECTED_RAW_BYTES);
  });

  it('refuses an envelope that breaks the schema with SCHEMA_INVALID and its zod issues', () => {
    const rejection = rejectedWith(rawUplink({ v: 2, deviceId: 'wm-0001', readings: [] }));
    expect(rejection?.reason).toBe('SCHEMA_INVALID');
    expect(rejection?.issues?.map((i) => i.path)).toEqual(['v', 'readings']);
  });

  it('refuses a payload naming another device than its topic with IDENTITY_MISMATCH', () => {
    const rejection = rejectedWith(
      rawUplink(envelope([{ metric: 'water.flow', value: 1 }], { deviceId: 'wm-0002' })),
    );
    expect(rejection?.reason).toBe('IDENTITY_MISMATCH');
    expect(rejection?.deviceIdHint).toBe('wm-0001');
  });

  it('refuses a device the registry does not know with UNKNOWN_DEVICE', () => {
    const uplink = rawUplink(envelope([{ metric: 'water.flow', value: 1 }], { deviceId: 'wm-9999' }), {
      deviceId: 'wm-9999',
    });
    expect(rejectedWith(uplink)?.reason).toBe('UNKNOWN_DEVICE');
  });

  it('refuses suspended, decommissioned and unprovisioned devices with their state reason', () => {
    const cases = [
      ['wm-suspended', 'DEVICE_SUSPENDED'],
      ['wm-retired', 'DEVICE_DECOMMISSIONED'],
      ['wm-new', 'DEVICE_NOT_PROVISIONED'],
    ] as const;
    for (const [deviceId, reason] of cases) {
      const uplink = rawUplink(envelope([{ metric: 'water.flow', value: 1 }], { deviceId }), { deviceId });
      expect(rejectedWith(uplink)?.reason).toBe(reason);
    }
  });

  it('refuses a topic outside the uplink layout with TOPIC_INVALID, keyed by the topic', () => {
    const result = validateOne(rawUplink(envelope([]), { topic: 'terrapulse/v1/devices/wm-0001/down/json' }));
    expect(result.key).toBe('terrapulse/v1/devices/wm-0001/down/json');
    expect(result.rejections[0]?.reason).toBe('TOPIC_INVALID');
    expect(result.rejections[0]?.deviceIdHint).toBeUndefined();
  });

  it('refuses an unknown format with UNSUPPORTED_FORMAT and still names the device', () => {
    const rejection = rejectedWith(rawUplink('hello', { topic: 'terrapulse/v1/devices/wm-0001/up/cbor' }));
    expect(rejection?.reason).toBe('UNSUPPORTED_FORMAT');
    expect(rejection?.deviceIdHint).toBe('wm-0001');
  });

  it('dead-letters a record whose bridge headers are missing instead of stopping', () => {
    const uplink: RawUplink = {
      offset: '5',
      timestamp: String(RECEIVED_AT),
      value: Buffer.from('{}'),
      headers: {},
    };
    const result = validateOne(uplink);
    expect(result.rejections[0]?.reason).toBe('TOPIC_INVALID');
    expect(result.rejections[0]?.receivedAt).toBe(RECEIVED_AT);
    expect(result.rejections[0]?.issues?.some((i) => i.path === 'headers.tp-mqtt-topic')).toBe(true);
  });

  it('dead-letters a tombstone value as MALFORMED_PAYLOAD', () => {
    const uplink = { ...rawUplink('x'), value: null };
    const rejection = rejectedWith(uplink);
    expect(rejection?.reason).toBe('MALFORMED_PAYLOAD');
    expect(rejection?.rawBase64).toBe('');
  });
});

describe('validator on multi-reading envelopes', () => {
  it('passes the valid readings and dead-letters each invalid one with its index and the whole bytes', () => {
    const uplink = rawUplink(
      envelope([
        { metric: 'water.flow', value: 1 },
        { metric: 'water.flow', value: 1, unit: 'gallons' },
        { metric: 'water.volume_index', value: 10 },
        { metric: 'water.pressure', value: 3 },
        { metric: 'water.flow', value: 'high' },
      ]),
    );
    const result = validateOne(uplink);
    expect(result.readings.map((r) => r.metric)).toEqual(['water.flow', 'water.volume_index']);
    expect(result.rejections.map((r) => [r.reason, r.issues?.[0]?.path])).toEqual([
      ['UNIT_INVALID', 'readings.1.unit'],
      ['METRIC_NOT_DECLARED', 'readings.3.metric'],
      ['SCHEMA_INVALID', 'readings.4.value'],
    ]);
    const original = Buffer.from(uplink.value ?? []).toString('base64');
    for (const rejection of result.rejections) expect(rejection.rawBase64).toBe(original);
  });

  it('maps schema failures inside a reading to the finer reason codes', () => {
    const result = validateOne(
      rawUplink(
        envelope([
          { metric: 'water.flux', value: 1 },
          { metric: 'water.flow', value: 1, dims: { vehicleClass: 'plane' } },
          { metric: 'water.flow', value: 1, unit: 'litres-per-second-!!' },
          { metric: 'water.flow', value: 1, colour: 'blue' },
          { metric: 'water.flow', value: 1 },
        ]),
      ),
    );
    expect(result.readings).toHaveLength(1);
    expect(result.rejections.map((r) => r.reason)).toEqual([
      'UNKNOWN_METRIC',
      'DIMENSION_INVALID',
      'UNIT_INVALID',
      'SCHEMA_INVALID',
    ]);
    expect(result.rejections[0]?.detail).toContain('water.flux');
  });

  it('refuses an envelope whole when its own fields are broken, even if readings are fine', () => {
    const rejection = rejectedWith(rawUplink(envelope([{ metric: 'water.flow', value: 1 }], { seq: -1 })));
    expect(rejection?.reason).toBe('SCHEMA_INVALID');
  });

  it('checks identity before dead-lettering invalid readings one by one', () => {
    const payload = envelope([{ metric: 'nope', value: 1 }], { deviceId: 'wm-0002' });
    expect(rejectedWith(rawUplink(payload))?.reason).toBe('IDENTITY_MISMATCH');
  });

  it('refuses with one UNKNOWN_DEVICE dead letter rather than one per reading', () => {
    const readings = Array.from({ length: 10 }, () => ({ metric: 'water.flow', value: 1 }));
    const uplink = rawUplink(envelope(readings, { deviceId: 'wm-9999' }), { deviceId: 'wm-9999' });
    expect(rejectedWith(uplink)?.reason).toBe('UNKNOWN_DEVICE');
  });
});

describe('validator on SenML packs', () => {
  const base = senmlBaseName('tc-0001');
  const senml = (pack: unknown, receivedAt = RECEIVED_AT) =>
    rawUplink(pack, { deviceId: 'tc-0001', format: 'senml', receivedAt });
  const bt = RECEIVED_AT / 1000 - 900;

  it('resolves base fields and maps record names to metrics and vehicle classes', () => {
    const result = validateOne(
      senml([
        { bn: base, bt, n: 'mobility.vehicle_count/truck', u: 'count', v: 3 },
        { n: 'mobility.vehicle_count/car', v: 41 },
        { n: 'mobility.average_speed', u: 'm/s', v: 12.5, t: 60 },
      ]),
    );
    expect(result.rejections).toEqual([]);
    expect(result.readings.map((r) => [r.metric, r.dims, r.value, r.ts, r.unit])).toEqual([
      ['mobility.vehicle_count', { vehicleClass: 'truck' }, 3, bt * 1000, 'count'],
      ['mobility.vehicle_count', { vehicleClass: 'car' }, 41, bt * 1000, 'count'],
      ['mobility.average_speed', {}, 45, (bt + 60) * 1000, 'km/h'],
    ]);
    expect(result.readings[0]).toMatchObject({ tenant: 'commune-a', site: 'rd-12', domain: 'mobility' });
  });

  it('resolves relative times against the bridge receive time, so a replay gives the same ts', () => {
    const pack = [{ bn: base, n: 'mobility.average_speed', v: 50, t: -30 }];
    const [reading] = validateOne(senml(pack)).readings;
    expect(reading?.ts).toBe(RECEIVED_AT - 30_000);
  });

  it('refuses a pack whose records name another device with IDENTITY_MISMATCH', () => {
    const pack = [
      { bn: base, bt, n: 'mobility.average_speed', v: 50 },
      { bn: senmlBaseName('tc-0002'), n: 'mobility.unknown_thing', v: 3 },
    ];
    expect(rejectedWith(senml(pack))?.reason).toBe('IDENTITY_MISMATCH');
  });

  it('refuses a pack that breaks the SenML schema whole', () => {
    const rejection = rejectedWith(senml([{ bn: base, n: 'mobility.average_speed', v: 'fast' }]));
    expect(rejection?.reason).toBe('SCHEMA_INVALID');
    expect(rejection?.issues?.[0]?.path).toBe('0.v');
  });

  it('passes the valid records and dead-letters each invalid one with its record index', () => {
    const result = validateOne(
      senml([
        { bn: base, bt, n: 'mobility.average_speed', v: 50 },
        { n: 'mobility.bus_count', v: 2 },
        { n: 'mobility.vehicle_count/tractor', v: 2 },
        { n: 'mobility.average_speed', v: 900 },
        { n: 'mobility.vehicle_count/car', v: 2.5 },
      ]),
    );
    expect(result.readings.map((r) => r.value)).toEqual([50]);
    expect(result.rejections.map((r) => [r.reason, r.issues?.[0]?.path])).toEqual([
      ['UNKNOWN_METRIC', '1'],
      ['DIMENSION_INVALID', '2'],
      ['VALUE_OUT_OF_RANGE', '3.value'],
      ['VALUE_OUT_OF_RANGE', '4.value'],
    ]);
  });
});

describe('validator on timestamps', () => {
  const at = (ts: unknown) => rawUplink(envelope([{ metric: 'water.flow', value: 1, ts }]));

  it('accepts a reading up to the allowed clock skew ahead of reception', () => {
    expect(validateOne(at(RECEIVED_AT + 5 * 60_000)).readings).toHaveLength(1);
  });

  it('refuses a reading further in the future with TIMESTAMP_IN_FUTURE', () => {
    expect(rejectedWith(at(RECEIVED_AT + 5 * 60_000 + 1))?.reason).toBe('TIMESTAMP_IN_FUTURE');
  });

  it('refuses a reading older than the retention with TIMESTAMP_TOO_OLD', () => {
    expect(validateOne(at(RECEIVED_AT - 400 * 86_400_000)).readings).toHaveLength(1);
    expect(rejectedWith(at(RECEIVED_AT - 400 * 86_400_000 - 1))?.reason).toBe('TIMESTAMP_TOO_OLD');
  });

  it('applies a configured skew and maximum age', () => {
    const strict = createUplinkValidator({
      lookup: table.lookup,
      policy: { maxFutureSkewMs: 0, maxAgeMs: 3_600_000 },
    });
    expect(strict(at(RECEIVED_AT + 1), 0).rejections[0]?.reason).toBe('TIMESTAMP_IN_FUTURE');
    expect(strict(at(RECEIVED_AT - 3_600_001), 0).rejections[0]?.reason).toBe('TIMESTAMP_TOO_OLD');
    expect(strict(at(RECEIVED_AT - 3_600_000), 0).readings).toHaveLength(1);
  });

  it('refuses a local time without offset as SCHEMA_INVALID', () => {
    const rejection = rejectedWith(at('2026-03-01T10:00:00'));
    expect(rejection?.reason).toBe('SCHEMA_INVALID');
    expect(rejection?.issues?.[0]?.path).toBe('readings.0.ts');
  });
});
