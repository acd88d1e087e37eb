/** Lag of one consumer group on one topic: messages not yet committed, summed over partitions. */
export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly lag: number;
}

export interface LagProbe {
  lags(): Promise<GroupLag[]>;
}
