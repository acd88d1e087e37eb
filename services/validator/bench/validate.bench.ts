/**
 * Throughput of the pure validation, one core, no Kafka:
 *   npx tsx --conditions=source services/validator/bench/validate.bench.ts
 * Prints readings/s for native envelopes and for SenML packs, each alone and in a realistic mix
 * (a fleet of water meters, electricity meters and traffic counters, 2 % bad messages), for the
 * validation alone and with the JSON encoding of the outputs that the service does next (its
 * encoder for readings, JSON.stringify for dead letters).
 */
import {
  type DeviceRecord,
  deviceUplinkTopic,
  encodeRawHeaders,
  senmlBaseName,
  uplinkContentType,
} from '@terrapulse/contracts';
import {
  createUplinkValidator,
  defaultValidationPolicy,
  encodeReading,
  type RawUplink,
} from '../src/domain/index.js';
import { deviceRecord, tableOf } from '../test/fixtures.js';

const NOW = Date.now();
const DEVICES = 1_000;

const fleet: DeviceRecord[] = Array.from({ length: DEVICES }, (_, i) => {
  const deviceId = `dev-${String(i).padStart(5, '0')}`;
  if (i % 3 === 0) return deviceRecord({ deviceId });
  if (i % 3 === 1) {
    return deviceRecord({
      deviceId,
      domain: 'energy',
      kind: 'electricity_meter',
      metrics: ['energy.active_energy_index', 'energy.active_power'],
    });
  }
  return deviceRecord({
    deviceId,
    domain: 'mobility',
    kind: 'traffic_counter',
    metrics: ['mobility.vehicle_count', 'mobility.average_speed'],
  });
});
const table = tableOf(...fleet);
const validate = createUplinkValidator({ lookup: table.lookup, policy: defaultValidationPolicy });

function uplink(deviceId: string, format: 'json' | 'senml', payload: unknown, offset: number): RawUplink {
  return {
    offset: String(offset),
    timestamp: String(NOW),
    value: Buffer.from(JSON.stringify(payload)),
    headers: encodeRawHeaders({
      'tp-mqtt-topic': deviceUplinkTopic(deviceId, format),
      'tp-received-at': NOW + offset,
      'tp-mqtt-qos': 1,
      'tp-bridge-id': 'bench',
      'tp-content-type': uplinkContentType[format],
    }),
  };
}

/** One reading per message, as the pipeline's 20,000 readings/s target counts them. */
function envelopeMessage(i: number): RawUplink {
  const device = fleet[i % DEVICES] as DeviceRecord;
  const metric = device.metrics[i % device.metrics.length] ?? 'water.flow';
  const readings: Record<string, object> = {
    'water.volume_index': { metric, value: 1000 + i / 100 },
    'water.flow': { metric, value: (i % 100) / 10, unit: 'L/s' },
    'water.leak_alarm': { metric, value: i % 2 },
    'energy.active_energy_index': { metric, value: 52_000 + i / 10, unit: 'kWh' },
    'energy.active_power': { metric, value: 3.5, unit: 'kW' },
    'mobility.vehicle_count': { metric, value: i % 40, dims: { vehicleClass: 'car' } },
    'mobility.average_speed': { metric, value: 20 + (i % 60) },
  };
  const reading = readings[metric];
  return uplink(
    device.deviceId,
    'json',
    { v: 1, deviceId: device.deviceId, ts: NOW - 1000, seq: i, readings: [reading] },
    i,
  );
}

/** A classifying traffic counter's 15-minute pack: five vehicle classes and the average speed. */
function senmlMessage(i: number): RawUplink {
  const deviceId = `dev-${String(3 * (i % Math.floor(DEVICES / 3)) + 2).padStart(5, '0')}`;
  const classes = ['car', 'van', 'truck', 'bus', 'motorcycle'];
  const pack = [
    {
      bn: senmlBaseName(deviceId),
      bt: Math.floor(NOW / 1000) - 900,
      n: `mobility.vehicle_count/${classes[0]}`,
      u: 'count',
      v: i % 90,
    },
    ...classes.slice(1).map((c, k) => ({ n: `mobility.vehicle_count/${c}`, v: (i + k) % 20 })),
    { n: 'mobility.average_speed', u: 'km/h', v: 30 + (i % 40) },
  ];
  return uplink(deviceId, 'senml', pack, i);
}

/** 2 % of messages are bad in the ways devices get them wrong. */
function badMessage(i: number): RawUplink {
  const device = fleet[i % DEVICES] as DeviceRecord;
  const kinds = [
    () => uplink(device.deviceId, 'json', '{"v":1,', i),
    () =>
      uplink(
        device.deviceId,
        'json',
        { v: 1, deviceId: 'someone-else', readings: [{ metric: 'water.flow', value: 1 }] },
        i,
      ),
    () =>
      uplink(
        device.deviceId,
        'json',
        { v: 1, deviceId: device.deviceId, readings: [{ metric: 'water.flow', value: 1, unit: 'gpm' }] },
        i,
      ),
    () =>
      uplink(
        'unknown-9',
        'json',
        { v: 1, deviceId: 'unknown-9', readings: [{ metric: 'water.flow', value: 1 }] },
        i,
      ),
  ];
  return (kinds[i % kinds.length] as () => RawUplink)();
}

function mixMessage(i: number): RawUplink {
  if (i % 50 === 0) return badMessage(i);
  return i % 10 === 0 ? senmlMessage(i) : envelopeMessage(i);
}

function measure(label: string, messages: readonly RawUplink[], encode: boolean): void {
  const rejected = messages.reduce((n, m) => n + validate(m, 0).rejections.length, 0);
  const run = () => {
    let readings = 0;
    let bytes = 0;
    const started = performance.now();
    for (const message of messages) {
      const result = validate(message, 0);
      readings += result.readings.length;
      if (encode) {
        for (const r of result.readings) bytes += encodeReading(r).byteLength;
        for (const r of result.rejections) bytes += Buffer.from(JSON.stringify(r)).byteLength;
      }
    }
    return { readings, seconds: (performance.now() - started) / 1000, bytes };
  };
  run(); // warm-up: JIT and the header memo
  const rounds = [run(), run(), run()].sort((a, b) => a.seconds - b.seconds);
  const best = rounds[0] as ReturnType<typeof run>;
  const median = rounds[1] as ReturnType<typeof run>;
  const perS = (r: typeof best) => Math.round(r.readings / r.seconds).toLocaleString('en-US');
  const msgPerS = Math.round(messages.length / median.seconds).toLocaleString('en-US');
  console.log(
    `${label.padEnd(40)} ${perS(median).padStart(9)} readings/s (best ${perS(best)}), ${msgPerS} messages/s, ${rejected} rejected`,
  );
}

const N = 100_000;
const sets = {
  'envelope, 1 reading/message': Array.from({ length: N }, (_, i) => envelopeMessage(i)),
  'SenML pack, 6 records/message': Array.from({ length: N / 5 }, (_, i) => senmlMessage(i)),
  'mix: 90% envelope, 10% SenML, 2% bad': Array.from({ length: N }, (_, i) => mixMessage(i)),
};
console.log(`validation on one core, ${DEVICES} devices; median of 3 rounds`);
for (const [label, messages] of Object.entries(sets)) measure(label, messages, false);
console.log('validation + JSON encoding of every output (what the service does per message)');
for (const [label, messages] of Object.entries(sets)) measure(label, messages, true);
