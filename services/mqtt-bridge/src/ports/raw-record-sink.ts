import type { EncodedHeaders } from '@terrapulse/service-kit';

/** A record's headers split into the entries many records share, pre-encoded, and its own. */
export interface SplitHeaders {
  readonly shared: EncodedHeaders;
  readonly own: Readonly<Record<string, string>>;
}

/** A record of telemetry.raw as the sink writes it: key, the payload bytes, text headers. */
export interface RawRecord {
  readonly key: string;
  readonly value: Buffer;
  /** Every header, as text. */
  readonly headers: Readonly<Record<string, string>>;
  /** The same headers, split for a producer that copies pre-encoded bytes; absent: use `headers`. */
  readonly split?: SplitHeaders;
}

export interface RawRecordSinkStatus {
  readonly connected: boolean;
}

/**
 * Where raw records go (Kafka telemetry.raw). `send` resolves only when every record of the
 * batch is durable (acks from all in-sync replicas); it rejects with a RawSinkError.
 *
 * A sink must be given the same batch again after a failed send, until it succeeds or the
 * error says the records themselves were refused: an idempotent Kafka producer deduplicates a
 * resend by sequence number, so a different batch after an unknown outcome could be taken for
 * a duplicate and silently dropped.
 */
export interface RawRecordSink {
  connect(): Promise<void>;
  send(records: readonly RawRecord[]): Promise<void>;
  close(): Promise<void>;
  status(): RawRecordSinkStatus;
}
