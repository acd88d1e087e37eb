import {
  checkPlausibility,
  parseJsonPayload,
  ReadingEnvelope,
  readingTimeMs,
  resolveSenmlPack,
  SenmlPack,
  senmlToReadings,
  type UplinkFormat,
} from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { createFaultPlanner, type FaultSpec } from '../src/domain/faults.js';
import type { LedgerEntry } from '../src/domain/ledger.js';
import { DeviceMessageStream, type OutMessage } from '../src/domain/message-stream.js';
import { createReadingGenerator, readingsPerTick } from '../src/domain/profiles.js';
import { replayGrid, replayTick } from '../src/domain/schedule.js';
import { buildTerritory } from '../src/domain/territory.js';
import type { SimDevice } from '../src/domain/types.js';
import { deviceOfKind, HOUR, paris } from './fixtures.js';

const FROM = paris('2026-11-17', '00:00');
const TO = FROM + 6 * HOUR;

function replay(
  device: SimDevice,
  options: { format?: UplinkFormat; pack?: number; faults?: FaultSpec; resetAt?: number } = {},
): OutMessage[] {
  const grid = replayGrid(device.record.expectedIntervalS, FROM, TO);
  const readings = grid.count * readingsPerTick(device.profile);
  const planner = createFaultPlanner(options.faults ?? {}, 1, [{ messages: readings, readings }]);
  const stream = new DeviceMessageStream(device, createReadingGenerator(device), {
    format: options.format ?? 'json',
    pack: options.pack ?? 1,
    planner,
    deviceIndex: 0,
    spoofAs: 'someone-else',
    lateByMs: 30 * 60_000,
    ...(options.resetAt !== undefined && { resetAt: options.resetAt }),
  });
  const out: OutMessage[] = [];
  for (let k = 0; k < grid.count; k++) out.push(...stream.tick(replayTick(grid, k), false));
  out.push(...stream.finish());
  return out;
}

/** What the validator will read from a payload, through the contracts' own decoders. */
function decode(format: UplinkFormat, payload: string, topicDevice: string) {
  const json = parseJsonPayload(new TextEncoder().encode(payload));
  if (!json.ok) return { reason: json.code };
  if (format === 'json') {
    const envelope = ReadingEnvelope.safeParse(json.value);
    if (!envelope.success) return { reason: 'SCHEMA_INVALID' };
    if (envelope.data.deviceId !== topicDevice) return { reason: 'IDENTITY_MISMATCH' };
    return {
      readings: envelope.data.readings.map((r) => ({
        metric: r.metric,
        value: r.value,
        ts: readingTimeMs(envelope.data.ts, r, 0),
        dims: r.dims ?? {},
      })),
    };
  }
  const pack = SenmlPack.safeParse(json.value);
  if (!pack.success) return { reason: 'SCHEMA_INVALID' };
  const resolved = resolveSenmlPack(pack.data, 0);
  if (!resolved.ok) return { reason: 'SCHEMA_INVALID' };
  const mapped = senmlToReadings(resolved.records, topicDevice);
  if (!mapped.ok) return { reason: mapped.reason };
  return {
    readings: mapped.readings.map((r) => ({
      metric: r.metric,
      value: r.value,
      ts: Number(r.ts),
      dims: r.dims ?? {},
    })),
  };
}

const asSent = (entries: readonly LedgerEntry[]) =>
  entries.map((e) => ({ metric: e.metric, value: e.value, ts: e.ts, dims: e.dims }));

const counter = deviceOfKind('traffic_counter');
const meter = deviceOfKind('electricity_meter');

describe('device message stream', () => {
  it('should publish one reading per envelope by default, decoded as the ledger says', () => {
    const messages = replay(counter);
    expect(messages).toHaveLength(24 * 6); // 6 h of quarter hours, 5 classes + speed each
    for (const m of messages) {
      expect(m.readings).toBe(1);
      expect(decode('json', m.payload, counter.record.deviceId)).toEqual({ readings: asSent(m.entries) });
      expect(m.entries.every((e) => e.expected === 'accepted')).toBe(true);
    }
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i));
  });

  it('should pack readings into SenML packs the contracts decode to the same values', () => {
    const messages = replay(counter, { format: 'senml', pack: 10 });
    expect(messages).toHaveLength(Math.ceil((24 * 6) / 10));
    for (const m of messages) {
      expect(decode('senml', m.payload, counter.record.deviceId)).toEqual({
        readings: asSent(m.entries).map((r) => ({ ...r, dims: r.dims })),
      });
    }
  });

  it('should mark malformed, spoofed and out-of-range messages with the reason the validator will give', () => {
    for (const format of ['json', 'senml'] as const) {
      const messages = replay(meter, {
        format,
        faults: { malformed: { count: 4 }, spoof: { count: 2 }, outOfRange: { count: 2 } },
      });
      const faulty = messages.filter((m) => m.fault !== undefined);
      expect(faulty.map((m) => m.fault).sort()).toEqual([
        'malformed',
        'malformed',
        'malformed',
        'malformed',
        'out_of_range',
        'out_of_range',
        'spoof',
        'spoof',
      ]);
      for (const m of faulty) {
        const [entry] = m.entries;
        const decoded = decode(format, m.payload, meter.record.deviceId);
        if (entry?.expected === 'VALUE_OUT_OF_RANGE') {
          expect(decoded.readings?.[0]?.value).toBe(entry.value);
          expect(checkPlausibility(entry.metric, entry.value).ok).toBe(false);
        } else {
          expect(decoded).toEqual({ reason: entry?.expected });
        }
      }
      const reasons = new Set(faulty.flatMap((m) => m.entries.map((e) => e.expected)));
      expect(reasons).toEqual(
        new Set(['MALFORMED_PAYLOAD', 'SCHEMA_INVALID', 'IDENTITY_MISMATCH', 'VALUE_OUT_OF_RANGE']),
      );
    }
  });

  it('should publish a duplicated message twice with the same bytes', () => {
    const messages = replay(meter, { faults: { duplicate: { count: 3 } } });
    const copies = messages.filter((m) => m.fault === 'duplicate');
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      const original = messages[messages.indexOf(copy) - 1];
      expect(original?.payload).toBe(copy.payload);
      expect(copy.entries.every((e) => e.fault === 'duplicate' && e.expected === 'accepted')).toBe(true);
    }
  });

  it('should publish a late reading after fresher ones, with its own timestamp', () => {
    const messages = replay(meter, { faults: { late: { count: 3 } } });
    const entries = messages.flatMap((m) => m.entries);
    const late = entries.filter((e) => e.fault === 'late');
    expect(late).toHaveLength(3);
    for (const e of late) {
      const before = entries.slice(0, entries.indexOf(e));
      expect(Math.max(...before.map((b) => b.ts))).toBeGreaterThanOrEqual(e.ts + 30 * 60_000);
      expect(e.expected).toBe('accepted');
    }
    // Nothing lost or duplicated: the same readings as without the fault, in another order.
    const key = (e: LedgerEntry) => `${e.metric}@${e.ts}=${e.value}`;
    expect(entries.map(key).sort()).toEqual(
      replay(meter)
        .flatMap((m) => m.entries.map(key))
        .sort(),
    );
  });

  it('should mark the first index after a meter reset and count again from zero', () => {
    const resetAt = FROM + 3 * HOUR;
    const entries = replay(meter, { resetAt }).flatMap((m) => m.entries);
    const index = entries.filter((e) => e.metric === 'energy.active_energy_index');
    const marked = index.filter((e) => e.fault === 'meter_reset');
    expect(marked).toEqual([expect.objectContaining({ ts: resetAt, value: 0 })]);
    expect(index.filter((e) => e.ts < resetAt).every((e) => e.value > 1000)).toBe(true);
    expect(index.filter((e) => e.ts >= resetAt).every((e) => e.value < 1000)).toBe(true);
  });

  it('should expect UNKNOWN_DEVICE for every reading of an unregistered device, without other faults', () => {
    const ghost = buildTerritory({ devices: 1, unknownDevices: 1 }).devices[1];
    if (ghost === undefined) throw new Error('fixture');
    const messages = replay(ghost, {
      faults: { malformed: { probability: 0.5 }, duplicate: { probability: 0.5 } },
    });
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m.fault).toBeUndefined();
      expect(m.entries.every((e) => e.expected === 'UNKNOWN_DEVICE' && e.fault === 'unknown_device')).toBe(
        true,
      );
    }
  });
});
