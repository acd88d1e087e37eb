import type { Aggregate } from '@terrapulse/contracts';
import type { WindowKind } from './domain/index.js';

export type AggregateState = 'update' | 'final';

/**
 * Aggregates taken from the window stores and not yet durable downstream. It is filled only
 * when empty and cleared only once the sink has acknowledged all of it, so a failed send is
 * retried with the same content, and its size is bounded by the open and just-closed windows.
 */
export class Outbox {
  readonly items: Aggregate[] = [];
  #counts = new Map<string, number>();

  get size(): number {
    return this.items.length;
  }

  add(aggregate: Aggregate, state: AggregateState): void {
    this.items.push(aggregate);
    const label = `${aggregate.window}|${state}`;
    this.#counts.set(label, (this.#counts.get(label) ?? 0) + 1);
  }

  /** Counts by window and state, for the metrics once the send succeeded. */
  counts(): { window: WindowKind; state: AggregateState; count: number }[] {
    return [...this.#counts].map(([label, count]) => {
      const [window, state] = label.split('|') as [WindowKind, AggregateState];
      return { window, state, count };
    });
  }

  clear(): void {
    this.items.length = 0;
    this.#counts = new Map();
  }
}
