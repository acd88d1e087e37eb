import type { LedgerEntry } from '../domain/ledger.js';

/** A durable copy of the ledger (a JSONL file), next to the one kept in memory. */
export interface LedgerSink {
  append(entries: readonly LedgerEntry[]): void;
  /** False while the sink's buffer is full: the simulation stops publishing until `onDrain` fires. */
  ready(): boolean;
  onDrain(listener: () => void): void;
  close(): Promise<void>;
}
