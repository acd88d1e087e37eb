import { senmlBaseName } from '@terrapulse/contracts';
import { createJsonLogger, silentLogger } from '@terrapulse/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startValidatorService, type ValidatorService } from '../src/service.js';
import { deviceRecord, trafficCounter } from './fixtures.js';
import { KafkaHarness, type Outputs, payloadBytes, type RawSpec, waitFor } from './kafka-harness.js';

const harness = new KafkaHarness();
let service: ValidatorService;
let outputs: Outputs;
const logger = process.env.TEST_LOGS
  ? createJsonLogger({ service: 'validator-test', level: 'debug' })
  : silentLogger;

const WATER = 'wm-int-1';
const SPEED = 'tc-int-1';
const SUSPENDED = 'wm-int-suspended';
const LIVE = 'wm-int-live';

beforeAll(async () => {
  await harness.setUp();
  await harness.seed([
    deviceRecord({ deviceId: WATER }),
    trafficCounter({ deviceId: SPEED }),
    deviceRecord({ deviceId: SUSPENDED, state: 'suspended' }),
    deviceRecord({ deviceId: LIVE }),
  ]);
  service = await startValidatorService(harness.config({ KAFKA_SESSION_TIMEOUT_MS: '10000' }), {
    logger,
    processMetrics: false,
  });
  outputs = await harness.collectOutputs();
});

afterAll(async () => {
  await service?.stop();
  await harness.tearDown();
});

const readingsOf = (deviceId: string) =>
  outputs.readings.filter((r) => r.key === deviceId).map((r) => r.value);
const rejectionsOf = (deviceId: string) =>
  outputs.rejections.filter((r) => r.key === deviceId).map((r) => r.value);

describe('validator against Kafka', () => {
  it('reports healthy once the registry is loaded and Kafka answers', async () => {
    await waitFor(() => service.validator.health().status === 'ok', 'a healthy validator');
    const response = await fetch(`http://127.0.0.1:${service.ops.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      checks: { registry: { loaded: true, devices: 4 } },
    });
  });

  it('turns valid envelope and SenML messages into normalized readings keyed by device', async () => {
    const now = Date.now();
    const bt = Math.floor(now / 1000) - 60;
    await harness.publishRaw([
      {
        deviceId: WATER,
        payload: {
          v: 1,
          deviceId: WATER,
          ts: now - 1000,
          seq: 1,
          readings: [
            { metric: 'water.volume_index', value: 1500, unit: 'L' },
            { metric: 'water.flow', value: 0.25, unit: 'L/s' },
          ],
        },
        receivedAt: now,
      },
      {
        deviceId: SPEED,
        format: 'senml',
        payload: [
          { bn: senmlBaseName(SPEED), bt, n: 'mobility.vehicle_count/bus', u: 'count', v: 4 },
          { n: 'mobility.average_speed', u: 'km/h', v: 38 },
        ],
        receivedAt: now,
      },
    ]);
    await waitFor(() => readingsOf(WATER).length >= 2 && readingsOf(SPEED).length >= 2, 'four readings');
    expect(readingsOf(WATER)).toEqual([
      {
        deviceId: WATER,
        tenant: 'commune-a',
        site: 'ecole-jaures',
        domain: 'water',
        metric: 'water.volume_index',
        kind: 'cumulative_index',
        unit: 'm3',
        value: 1.5,
        ts: now - 1000,
        receivedAt: now,
        dims: {},
        sourceSeq: 1,
      },
      expect.objectContaining({ metric: 'water.flow', unit: 'm3/h', value: 0.9, ts: now - 1000 }),
    ]);
    expect(readingsOf(SPEED)).toEqual([
      expect.objectContaining({
        metric: 'mobility.vehicle_count',
        dims: { vehicleClass: 'bus' },
        value: 4,
        ts: bt * 1000,
      }),
      expect.objectContaining({
        metric: 'mobility.average_speed',
        value: 38,
        site: 'rd-12',
        domain: 'mobility',
      }),
    ]);
  });

  it('dead-letters each bad message with its reason and original bytes while valid traffic in the same batch flows', async () => {
    const now = Date.now();
    const env = (readings: unknown[], deviceId = WATER) => ({ v: 1, deviceId, ts: now, readings });
    const flow = { metric: 'water.flow', value: 1 };
    const cases: Array<[RawSpec, string]> = [
      [{ deviceId: WATER, payload: '{"v":1,"deviceId":' }, 'MALFORMED_PAYLOAD'],
      [{ deviceId: WATER, payload: { v: 1, deviceId: WATER, readings: 'many' } }, 'SCHEMA_INVALID'],
      [{ deviceId: WATER, payload: env([flow], 'wm-int-other') }, 'IDENTITY_MISMATCH'],
      [{ deviceId: 'wm-int-ghost', payload: env([flow], 'wm-int-ghost') }, 'UNKNOWN_DEVICE'],
      [{ deviceId: SUSPENDED, payload: env([flow], SUSPENDED) }, 'DEVICE_SUSPENDED'],
      [{ deviceId: WATER, payload: env([{ ...flow, unit: 'gal/min' }]) }, 'UNIT_INVALID'],
      [{ deviceId: WATER, payload: env([{ metric: 'water.pressure', value: 3 }]) }, 'METRIC_NOT_DECLARED'],
      [{ deviceId: WATER, payload: env([{ ...flow, value: 1e9 }]) }, 'VALUE_OUT_OF_RANGE'],
      [{ deviceId: WATER, payload: env([{ ...flow, ts: now + 3_600_000 }]) }, 'TIMESTAMP_IN_FUTURE'],
    ];
    const valid = (seq: number): RawSpec => ({
      deviceId: WATER,
      payload: { ...env([flow]), seq },
      receivedAt: now,
    });
    const batch = cases.flatMap(([spec], i) => [valid(100 + i), { ...spec, receivedAt: now }]);
    await harness.publishRaw(batch);

    const reasons = cases.map(([, reason]) => reason);
    const seenReasons = () =>
      outputs.rejections.filter((r) => r.value.receivedAt === now).map((r) => r.value.reason);
    await waitFor(() => seenReasons().length >= cases.length, 'every dead letter');
    await waitFor(
      () => readingsOf(WATER).filter((r) => (r.sourceSeq ?? 0) >= 100).length >= cases.length,
      'the valid readings around them',
    );
    expect(seenReasons().sort()).toEqual([...reasons].sort());
    for (const [spec, reason] of cases) {
      const letter = outputs.rejections.find((r) => r.value.reason === reason && r.value.receivedAt === now);
      expect(Buffer.from(letter?.value.rawBase64 ?? '', 'base64')).toEqual(payloadBytes(spec.payload));
      expect(letter?.key).toBe(spec.deviceId);
    }
    const seqs = readingsOf(WATER)
      .map((r) => r.sourceSeq)
      .filter((s) => (s ?? 0) >= 100);
    expect(seqs).toEqual(cases.map((_, i) => 100 + i));
  });

  it('refuses a device from the moment the registry suspends it, and accepts it again when reactivated', async () => {
    const send = (seq: number) =>
      harness.publishRaw([
        {
          deviceId: LIVE,
          payload: { v: 1, deviceId: LIVE, seq, readings: [{ metric: 'water.flow', value: seq }] },
        },
      ]);
    await send(1);
    await waitFor(() => readingsOf(LIVE).length === 1, 'the reading before suspension');

    await harness.seed([
      deviceRecord({ deviceId: LIVE, state: 'suspended', updatedAt: new Date().toISOString() }),
    ]);
    await waitFor(() => service.validator.health().status === 'ok', 'the validator');
    // The registry change travels through Kafka: resend until the suspension has been applied.
    for (let seq = 2; rejectionsOf(LIVE).length === 0; seq += 1) {
      await send(seq);
      await waitFor(() => readingsOf(LIVE).length + rejectionsOf(LIVE).length >= seq, `message ${seq}`);
    }
    expect(rejectionsOf(LIVE).map((r) => r.reason)).toEqual(['DEVICE_SUSPENDED']);

    await harness.seed([
      deviceRecord({ deviceId: LIVE, state: 'active', updatedAt: new Date().toISOString() }),
    ]);
    const accepted = readingsOf(LIVE).length;
    for (let seq = 1000; readingsOf(LIVE).length === accepted; seq += 1) {
      const before = readingsOf(LIVE).length + rejectionsOf(LIVE).length;
      await send(seq);
      await waitFor(() => readingsOf(LIVE).length + rejectionsOf(LIVE).length > before, `message ${seq}`);
    }
    expect(rejectionsOf(LIVE).every((r) => r.reason === 'DEVICE_SUSPENDED')).toBe(true);
  });

  it('forgets a deleted device: its next message is UNKNOWN_DEVICE', async () => {
    await harness.deleteDevice(SPEED);
    const count = () => rejectionsOf(SPEED).filter((r) => r.reason === 'UNKNOWN_DEVICE').length;
    for (let attempt = 0; count() === 0; attempt += 1) {
      const before = readingsOf(SPEED).length + rejectionsOf(SPEED).length;
      await harness.publishRaw([
        {
          deviceId: SPEED,
          format: 'senml',
          payload: [{ bn: senmlBaseName(SPEED), n: 'mobility.average_speed', v: attempt }],
        },
      ]);
      await waitFor(() => readingsOf(SPEED).length + rejectionsOf(SPEED).length > before, 'the next output');
    }
    expect(count()).toBe(1);
  });

  it('counts messages, readings and rejections by reason on /metrics', async () => {
    const body = await (await fetch(`http://127.0.0.1:${service.ops.port}/metrics`)).text();
    expect(body).toMatch(/terrapulse_validator_rejected_total\{reason="IDENTITY_MISMATCH"\} 1/);
    expect(body).toMatch(/terrapulse_validator_registry_devices 3/);
    const readings = Number(/terrapulse_validator_readings_total (\d+)/.exec(body)?.[1]);
    expect(readings).toBe(outputs.readings.length);
  });
});
