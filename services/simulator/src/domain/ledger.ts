import type { MetricId, NormalizedDims, RejectionReason } from '@terrapulse/contracts';

/** What the pipeline should do with a reading: store it, or dead-letter it with this reason. */
export type ExpectedOutcome = 'accepted' | RejectionReason;

/** Faults the simulator injects; a reading carries the one that shaped it. */
export const FAULT_KINDS = [
  'duplicate',
  'late',
  'malformed',
  'spoof',
  'out_of_range',
  'meter_reset',
  'unknown_device',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * One reading a device published and for which it got a PUBACK: the simulator's account of what it
 * delivered, so a test can check InfluxDB and the dead letters against it. A duplicated message
 * gives two entries (the copy with fault `duplicate`); the pipeline must store the reading once.
 */
export interface LedgerEntry {
  /** The device of the MQTT topic, i.e. the credentials that published. */
  readonly deviceId: string;
  readonly metric: MetricId;
  readonly dims: Readonly<NormalizedDims>;
  /** Epoch ms, as sent. */
  readonly ts: number;
  /** In the metric's canonical unit, as sent (the out-of-range value for that fault). */
  readonly value: number;
  readonly expected: ExpectedOutcome;
  readonly fault?: FaultKind;
  /** The device's message counter, shared by a message and its duplicate. */
  readonly seq: number;
  /** Epoch ms of the PUBACK; 0 until acknowledged. */
  ackedAt: number;
}

export const NO_DIMS: Readonly<NormalizedDims> = Object.freeze({});
