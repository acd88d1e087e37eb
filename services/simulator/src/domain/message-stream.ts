import { getMetric, type UplinkFormat } from '@terrapulse/contracts';
import type { ContentFault, FaultPlanner } from './faults.js';
import { type ExpectedOutcome, type FaultKind, type LedgerEntry, NO_DIMS } from './ledger.js';
import { encodePayload, outOfRangeValue, truncatePayload } from './payload.js';
import type { ReadingGenerator } from './profiles.js';
import type { SimDevice, SimReading, Tick } from './types.js';

/** One MQTT publish of a device, with the ledger entries it delivers once acknowledged. */
export interface OutMessage {
  readonly payload: string;
  readonly seq: number;
  /** Readings the message carries, for the rate limit (tokens are readings). */
  readonly readings: number;
  readonly entries: readonly LedgerEntry[];
  /** The message-level fault, when there is one. */
  readonly fault?: FaultKind;
}

export interface DeviceStreamOptions {
  readonly format: UplinkFormat;
  /** Readings per message (1 = one reading per message). */
  readonly pack: number;
  readonly planner: FaultPlanner;
  /** The device's position in the fleet, the planner's key. */
  readonly deviceIndex: number;
  /** A registered device whose id a spoofed message claims. */
  readonly spoofAs: string;
  /** When the device's indexes restart from 0, if it has a meter reset. */
  readonly resetAt?: number;
  readonly lateByMs: number;
}

interface Pending {
  readonly reading: SimReading;
  readonly fault?: FaultKind;
}

const dimsCache = new Map<string, Readonly<Record<string, string>>>();
function dimsOf(r: SimReading): Readonly<Record<string, string>> {
  if (r.vehicleClass === undefined) return NO_DIMS;
  let dims = dimsCache.get(r.vehicleClass);
  if (dims === undefined) {
    dims = Object.freeze({ vehicleClass: r.vehicleClass });
    dimsCache.set(r.vehicleClass, dims);
  }
  return dims;
}

/**
 * Turns a device's ticks into MQTT messages: holds late readings back, packs readings, applies the
 * planned faults and says what the pipeline should make of each reading. Pure: no clock, no I/O;
 * the same device, options and ticks give the same messages, byte for byte.
 *
 * This runs for every reading of a benchmark, so readings waiting for their pack sit in two
 * parallel arrays (no wrapper object each) and the common message, without a content fault,
 * is built without intermediate objects.
 */
export class DeviceMessageStream {
  private readonly deviceId: string;
  private readonly registered: boolean;
  private readonly held: Pending[] = [];
  /** Readings due, oldest first, not yet in a message; `pendingFaults` holds each one's fault. */
  private readonly pendingReadings: SimReading[] = [];
  private readonly pendingFaults: (FaultKind | undefined)[] = [];
  private readonly resetSeen = new Set<string>();
  private seq = 0;
  private readingOrdinal = 0;

  constructor(
    device: SimDevice,
    private readonly generate: ReadingGenerator,
    private readonly options: DeviceStreamOptions,
  ) {
    this.deviceId = device.record.deviceId;
    this.registered = device.registered;
  }

  /** Messages of one tick. `flushPartial` sends an incomplete pack now (live) instead of waiting. */
  tick(tick: Tick, flushPartial: boolean): OutMessage[] {
    const { planner, deviceIndex } = this.options;
    for (const reading of this.generate(tick, this.options.resetAt)) {
      const ordinal = this.readingOrdinal++;
      if (this.registered && planner.late(deviceIndex, ordinal)) {
        this.held.push({ reading, fault: 'late' });
      } else {
        this.pendingReadings.push(reading);
        this.pendingFaults.push(this.resetFault(reading));
      }
    }
    this.release(tick.at - this.options.lateByMs);
    return this.drain(flushPartial);
  }

  /** Everything still held back or half packed, e.g. at the end of a replay. */
  finish(): OutMessage[] {
    this.release(Number.POSITIVE_INFINITY);
    return this.drain(true);
  }

  /** Late readings measured at or before `until` are due: they go out after the fresher ones. */
  private release(until: number): void {
    if (this.held.length === 0) return;
    const due = this.held.filter((p) => p.reading.ts <= until);
    if (due.length === 0) return;
    for (const p of due) {
      this.pendingReadings.push(p.reading);
      this.pendingFaults.push(p.fault);
    }
    const kept = this.held.filter((p) => p.reading.ts > until);
    this.held.length = 0;
    this.held.push(...kept);
  }

  private resetFault(reading: SimReading): FaultKind | undefined {
    const resetAt = this.options.resetAt;
    if (resetAt === undefined || reading.ts < resetAt || this.resetSeen.has(reading.metric)) return undefined;
    if (getMetric(reading.metric).kind !== 'cumulative_index') return undefined;
    this.resetSeen.add(reading.metric);
    return 'meter_reset';
  }

  private drain(flushPartial: boolean): OutMessage[] {
    const out: OutMessage[] = [];
    const pack = this.options.pack;
    const count = this.pendingReadings.length;
    let start = 0;
    while (count - start >= pack || (flushPartial && start < count)) {
      const end = Math.min(start + pack, count);
      this.emit(start, end, out);
      start = end;
    }
    if (start === count) {
      this.pendingReadings.length = 0;
      this.pendingFaults.length = 0;
    } else if (start > 0) {
      this.pendingReadings.splice(0, start);
      this.pendingFaults.splice(0, start);
    }
    return out;
  }

  /** The message of pending readings [start, end), then its duplicate when one is planned. */
  private emit(start: number, end: number, out: OutMessage[]): void {
    const seq = this.seq++;
    const fault = this.registered
      ? this.options.planner.contentFault(this.options.deviceIndex, seq)
      : undefined;
    const readings = this.pendingReadings.slice(start, end);
    let payload: string;
    let sent: readonly SimReading[] = readings;
    let expected: ExpectedOutcome;
    if (fault === undefined) {
      payload = encodePayload(this.options.format, this.deviceId, seq, readings);
      expected = this.registered ? 'accepted' : 'UNKNOWN_DEVICE';
    } else ({ payload, sent, expected } = this.encodeFault(seq, readings, fault));
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i] as SimReading;
      entries.push(this.entry(this.pendingFaults[start + i], sent[i] ?? reading, seq, expected, fault));
    }
    const n = readings.length;
    out.push(
      fault === undefined
        ? { payload, seq, readings: n, entries }
        : { payload, seq, readings: n, entries, fault },
    );
    if (
      fault === undefined &&
      this.registered &&
      this.options.planner.duplicate(this.options.deviceIndex, seq)
    ) {
      const copies = entries.map((e) => ({ ...e, fault: 'duplicate' as const }));
      out.push({ payload, seq, readings: n, entries: copies, fault: 'duplicate' });
    }
  }

  /** A message with a content fault: what is sent, and what the validator will make of it. */
  private encodeFault(
    seq: number,
    readings: SimReading[],
    fault: ContentFault,
  ): { payload: string; sent: readonly SimReading[]; expected: ExpectedOutcome } {
    const { format } = this.options;
    switch (fault) {
      case 'spoof':
        return {
          payload: encodePayload(format, this.options.spoofAs, seq, readings),
          sent: readings,
          expected: 'IDENTITY_MISMATCH',
        };
      case 'out_of_range': {
        const [first, ...rest] = readings;
        const sent =
          first === undefined ? readings : [{ ...first, value: outOfRangeValue(first.metric) }, ...rest];
        return {
          payload: encodePayload(format, this.deviceId, seq, sent),
          sent,
          expected: 'VALUE_OUT_OF_RANGE',
        };
      }
      case 'malformed':
        // Alternate the two ways a firmware gets it wrong: bytes that are not JSON, JSON that is not the schema.
        return seq % 2 === 0
          ? {
              payload: truncatePayload(encodePayload(format, this.deviceId, seq, readings)),
              sent: readings,
              expected: 'MALFORMED_PAYLOAD',
            }
          : {
              payload: encodePayload(format, this.deviceId, seq, readings, true),
              sent: readings,
              expected: 'SCHEMA_INVALID',
            };
    }
  }

  /** The ledger entry of a reading; `fault` appears only when the reading has one. */
  private entry(
    pendingFault: FaultKind | undefined,
    sent: SimReading,
    seq: number,
    expected: ExpectedOutcome,
    fault: ContentFault | undefined,
  ): LedgerEntry {
    const readingFault: FaultKind | undefined = !this.registered ? 'unknown_device' : (fault ?? pendingFault);
    const { deviceId } = this;
    const dims = dimsOf(sent);
    return readingFault === undefined
      ? { deviceId, metric: sent.metric, dims, ts: sent.ts, value: sent.value, expected, seq, ackedAt: 0 }
      : {
          deviceId,
          metric: sent.metric,
          dims,
          ts: sent.ts,
          value: sent.value,
          expected,
          fault: readingFault,
          seq,
          ackedAt: 0,
        };
  }
}
