import {
  type MetricId,
  normalizeDims,
  parseJsonPayload,
  parseUplinkTopic,
  ReadingEnvelope,
  readingTimeMs,
  resolveSenmlPack,
  SenmlPack,
  senmlToReadings,
} from '@terrapulse/contracts';
import { silentLogger } from '@terrapulse/service-kit';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynsecAccessAdmin } from '../src/adapters/dynsec/dynsec-access-admin.js';
import { CredentialsFile } from '../src/adapters/file/credentials-file.js';
import { LeanMqttConnector } from '../src/adapters/mqtt/lean-mqtt-connector.js';
import { buildTerritory } from '../src/domain/territory.js';
import type { SimDevice } from '../src/domain/types.js';
import { deprovisionFleet, provisionFleet } from '../src/engine/provision-fleet.js';
import { runSimulation, type SimulationOptions } from '../src/engine/simulation.js';
import {
  eventually,
  localServers,
  type ReceivedMessage,
  subscribeUplinks,
  temporaryFile,
  uniqueToken,
} from './support.js';

const servers = localServers();
const prefix = `t-${uniqueToken()}-`;
const fleet = buildTerritory({ devices: 14, unknownDevices: 1, prefix });
const connector = new LeanMqttConnector({ url: servers.mqttUrl, logger: silentLogger });
const FROM = Date.parse('2026-11-17T07:00:00Z');
const TO = Date.parse('2026-11-17T08:00:00Z');

/** Readings a device sends in [from, to), computed here from its record alone. */
function expectedReadings(device: SimDevice, from: number, to: number): number {
  const interval = device.record.expectedIntervalS * 1000;
  let ticks = 0;
  for (let t = Math.ceil(from / interval) * interval; t < to; t += interval) ticks++;
  const perTick = device.record.metrics.reduce((n, m) => n + (m === 'mobility.vehicle_count' ? 5 : 1), 0);
  return ticks * perTick;
}

interface Decoded {
  readonly deviceId: string;
  readonly metric: MetricId;
  readonly dims: Record<string, string>;
  readonly ts: number;
  readonly value: number;
}

/** Reads a received uplink with the contracts' decoders, as the validator will. */
function decode(message: ReceivedMessage): Decoded[] | string {
  const topic = parseUplinkTopic(message.topic);
  if (!topic.ok) return topic.code;
  const json = parseJsonPayload(new TextEncoder().encode(message.payload));
  if (!json.ok) return json.code;
  if (topic.format === 'json') {
    const envelope = ReadingEnvelope.safeParse(json.value);
    if (!envelope.success) return 'SCHEMA_INVALID';
    if (envelope.data.deviceId !== topic.deviceId) return 'IDENTITY_MISMATCH';
    return envelope.data.readings.map((r) => ({
      deviceId: topic.deviceId,
      metric: r.metric,
      dims: normalizeDims(r.dims),
      ts: readingTimeMs(envelope.data.ts, r, 0),
      value: r.value,
    }));
  }
  const pack = SenmlPack.safeParse(json.value);
  const resolved = pack.success ? resolveSenmlPack(pack.data, 0) : undefined;
  if (!resolved?.ok) return 'SCHEMA_INVALID';
  const mapped = senmlToReadings(resolved.records, topic.deviceId);
  if (!mapped.ok) return mapped.reason;
  return mapped.readings.map((r) => ({
    deviceId: topic.deviceId,
    metric: r.metric,
    dims: normalizeDims(r.dims),
    ts: Number(r.ts),
    value: r.value,
  }));
}

const key = (r: Pick<Decoded, 'deviceId' | 'metric' | 'dims' | 'ts' | 'value'>) =>
  `${r.deviceId}|${r.metric}|${JSON.stringify(r.dims)}|${r.ts}|${r.value}`;

describe('replay through Mosquitto', () => {
  let admin: DynsecAccessAdmin;
  let passwords: Map<string, string>;
  let subscriber: { client: MqttClient; received: ReceivedMessage[] };

  beforeAll(async () => {
    admin = await DynsecAccessAdmin.connect(servers.mqttUrl, servers.mqttAdmin);
    const store = await CredentialsFile.open(await temporaryFile('credentials.json'));
    passwords = (await provisionFleet(fleet.devices, { admin, store })).passwords;
    subscriber = await subscribeUplinks(servers, prefix);
  });

  afterAll(async () => {
    await subscriber?.client.endAsync();
    if (admin !== undefined) {
      await deprovisionFleet(fleet.devices, { admin });
      await admin.close();
    }
  });

  async function replay(options: Partial<SimulationOptions>, devices: readonly SimDevice[] = fleet.devices) {
    subscriber.received.length = 0;
    const run = await runSimulation({
      devices,
      passwords,
      connector,
      mode: { kind: 'replay', from: FROM, to: TO },
      ...options,
    });
    const stats = await run.done;
    return { stats, ledger: run.ledger };
  }

  it('should publish exactly the readings of the hour, all acknowledged and all received', async () => {
    const registered = fleet.devices.filter((d) => d.registered);
    const expected = registered.reduce((n, d) => n + expectedReadings(d, FROM, TO), 0);
    const { stats, ledger } = await replay({}, registered);
    expect(stats).toMatchObject({ published: expected, acked: expected, failed: 0, unacked: 0, dropped: 0 });
    expect(stats.readings).toEqual({ published: expected, acked: expected });
    expect(ledger).toHaveLength(expected);
    expect(ledger.every((e) => e.expected === 'accepted' && e.ackedAt > 0 && e.ts >= FROM && e.ts < TO)).toBe(
      true,
    );

    expect(await eventually(() => subscriber.received.length >= expected)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(subscriber.received).toHaveLength(expected);
    const decoded = subscriber.received.flatMap((m) => {
      const readings = decode(m);
      return typeof readings === 'string' ? [] : readings;
    });
    expect(decoded.map(key).sort()).toEqual(ledger.map(key).sort());
  });

  it('should record injected faults in the ledger with the outcome each payload will get', async () => {
    const { stats, ledger } = await replay({
      faults: {
        duplicate: { count: 3 },
        late: { count: 3 },
        malformed: { count: 2 },
        spoof: { count: 2 },
        outOfRange: { count: 2 },
        meterResets: 1,
      },
      seed: 'fault-test',
    });
    expect(stats.failed + stats.unacked).toBe(0);
    expect(stats.byFault).toMatchObject({
      duplicate: 3,
      late: 3,
      malformed: 2,
      spoof: 2,
      out_of_range: 2,
      meter_reset: 1,
    });
    const unknown = fleet.devices.find((d) => !d.registered);
    const unknownReadings = expectedReadings(unknown as SimDevice, FROM, TO);
    expect(stats.byFault.unknown_device).toBe(unknownReadings);
    expect(stats.byExpected.UNKNOWN_DEVICE).toBe(unknownReadings);

    expect(await eventually(() => subscriber.received.length >= stats.acked)).toBe(true);
    // One reading per message: every payload reads as its ledger entry says, reason for reason.
    const tally = (outcomes: string[]) => {
      const counts: Record<string, number> = {};
      for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
      return counts;
    };
    const received = subscriber.received.map(decode);
    const readable = (expected: string) =>
      ['accepted', 'VALUE_OUT_OF_RANGE', 'UNKNOWN_DEVICE'].includes(expected) ? 'readable' : expected;
    expect(tally(received.map((r) => (typeof r === 'string' ? r : 'readable')))).toEqual(
      tally(ledger.map((e) => readable(e.expected))),
    );
    const outcomes = tally(ledger.map((e) => e.expected));
    expect((outcomes.MALFORMED_PAYLOAD ?? 0) + (outcomes.SCHEMA_INVALID ?? 0)).toBe(2);
    expect(outcomes).toMatchObject({ IDENTITY_MISMATCH: 2, VALUE_OUT_OF_RANGE: 2 });
    const decoded = received.flatMap((r) => (typeof r === 'string' ? [] : r));
    expect(decoded.map(key).sort()).toEqual(
      ledger
        .filter((e) => readable(e.expected) === 'readable')
        .map(key)
        .sort(),
    );
    const reset = ledger.find((e) => e.fault === 'meter_reset');
    expect(reset?.value).toBe(0);
    const late = ledger.filter((e) => e.fault === 'late');
    for (const e of late) {
      const fresher = ledger
        .slice(0, ledger.indexOf(e))
        .filter((o) => o.deviceId === e.deviceId && o.ts > e.ts);
      expect(fresher.length).toBeGreaterThan(0);
    }
  });

  it('should carry the same readings in SenML packs, fewer messages', async () => {
    const registered = fleet.devices.filter((d) => d.registered);
    const expected = registered.reduce((n, d) => n + expectedReadings(d, FROM, TO), 0);
    const messages = registered.reduce((n, d) => n + Math.ceil(expectedReadings(d, FROM, TO) / 10), 0);
    const { stats, ledger } = await replay({ format: 'senml', pack: 10 }, registered);
    expect(stats).toMatchObject({ published: messages, acked: messages });
    expect(stats.readings.acked).toBe(expected);
    expect(await eventually(() => subscriber.received.length >= messages)).toBe(true);
    expect(subscriber.received.every((m) => m.topic.endsWith('/up/senml'))).toBe(true);
    const decoded = subscriber.received.flatMap((m) => {
      const readings = decode(m);
      return typeof readings === 'string' ? [] : readings;
    });
    expect(decoded.map(key).sort()).toEqual(ledger.map(key).sort());
  });

  it('should replay a 25-hour day of clock change at the rate asked', async () => {
    const devices = fleet.devices.filter((d) => d.registered && d.record.expectedIntervalS === 3600);
    const from = Date.parse('2026-10-24T22:00:00Z'); // midnight, Paris summer time
    const to = Date.parse('2026-10-25T23:00:00Z'); // midnight, Paris winter time: 25 hours later
    const expected = devices.length * 25;
    subscriber.received.length = 0;
    const started = Date.now();
    const run = await runSimulation({
      devices,
      passwords,
      connector,
      mode: { kind: 'replay', from, to },
      rate: 100,
    });
    const stats = await run.done;
    const seconds = (Date.now() - started) / 1000;
    expect(stats.acked).toBe(expected);
    // A 5-reading burst, then 100 readings/s at most.
    expect(seconds).toBeGreaterThanOrEqual((expected - 5) / 100 - 0.05);
    expect(new Set(run.ledger.map((e) => e.ts)).size).toBe(25);
  });
});
