/** One output record; the key keeps a device's records on one partition, in order. */
export interface OutputMessage {
  readonly key: string;
  readonly value: Buffer;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutputMessage[];
}

export interface SinkHealth {
  readonly connected: boolean;
  readonly detail: Record<string, unknown>;
}

/** Where readings and dead letters go (telemetry.readings, telemetry.rejected). */
export interface OutputSink {
  connect(): Promise<void>;
  /**
   * Writes every message, durably (acknowledged by all in-sync replicas), in one request where
   * possible. Resolves only when all are written; rejects when they may not be.
   */
  send(batches: readonly TopicMessages[]): Promise<void>;
  close(): Promise<void>;
  health(): SinkHealth;
}
