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
 */
export class DeviceMessageStream {
  private readonly deviceId: string;
  private readonly registered: boolean;
  private readonly held: Pending[] = [];
  private pending: Pending[] = [];
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
    for (const reading of this.generate(tick, this.options.resetAt)) {
      const ordinal = this.readingOrdinal++;
      if (this.registered && this.options.planner.late(this.options.deviceIndex, ordinal)) {
        this.held.push({ reading, fault: 'late' });
      } else {
        this.pending.push({ reading, ...this.resetFault(reading) });
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
    for (const p of due) this.pending.push(p);
    const kept = this.held.filter((p) => p.reading.ts > until);
    this.held.length = 0;
    this.held.push(...kept);
  }

  private resetFault(reading: SimReading): { fault?: FaultKind } {
    const resetAt = this.options.resetAt;
    if (resetAt === undefined || reading.ts < resetAt || this.resetSeen.has(reading.metric)) return {};
    if (getMetric(reading.metric).kind !== 'cumulative_index') return {};
    this.resetSeen.add(reading.metric);
    return { fault: 'meter_reset' };
  }

  private drain(flushPartial: boolean): OutMessage[] {
    const out: OutMessage[] = [];
    const pack = this.options.pack;
    let start = 0;
    while (this.pending.length - start >= pack || (flushPartial && start < this.pending.length)) {
      this.emit(this.pending.slice(start, start + pack), out);
      start += pack;
    }
    this.pending = start === 0 ? this.pending : this.pending.slice(start);
    return out;
  }

  private emit(items: readonly Pending[], out: OutMessage[]): void {
    const seq = this.seq++;
    const fault = this.registered
      ? this.options.planner.contentFault(this.options.deviceIndex, seq)
      : undefined;
    const readings = items.map((p) => p.reading);
    const { payload, sent, expected } = this.encode(seq, readings, fault);
    const entries = items.map((p, i) => this.entry(p, sent[i] ?? p.reading, seq, expected, fault));
    out.push({ payload, seq, readings: items.length, entries, ...(fault !== undefined && { fault }) });
    if (
      fault === undefined &&
      this.registered &&
      this.options.planner.duplicate(this.options.deviceIndex, seq)
    ) {
      const copies = entries.map((e) => ({ ...e, fault: 'duplicate' as const }));
      out.push({ payload, seq, readings: items.length, entries: copies, fault: 'duplicate' });
    }
  }

  private encode(
    seq: number,
    readings: SimReading[],
    fault: ContentFault | undefined,
  ): { payload: string; sent: readonly SimReading[]; expected: ExpectedOutcome } {
    const { format } = this.options;
    if (!this.registered) {
      return {
        payload: encodePayload(format, this.deviceId, seq, readings),
        sent: readings,
        expected: 'UNKNOWN_DEVICE',
      };
    }
    switch (fault) {
      case undefined:
        return {
          payload: encodePayload(format, this.deviceId, seq, readings),
          sent: readings,
          expected: 'accepted',
        };
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

  private entry(
    p: Pending,
    sent: SimReading,
    seq: number,
    expected: ExpectedOutcome,
    fault: ContentFault | undefined,
  ): LedgerEntry {
    const readingFault: FaultKind | undefined = !this.registered ? 'unknown_device' : (fault ?? p.fault);
    return {
      deviceId: this.deviceId,
      metric: sent.metric,
      dims: dimsOf(sent),
      ts: sent.ts,
      value: sent.value,
      expected,
      ...(readingFault !== undefined && { fault: readingFault }),
      seq,
      ackedAt: 0,
    };
  }
}
