import { type LeanMessage, LeanProduceError, LeanProducer, type Logger } from '@terrapulse/service-kit';
import { RawSinkError } from '../../errors.js';
import type { RawRecord, RawRecordSink, RawRecordSinkStatus } from '../../ports/raw-record-sink.js';

export interface LeanKafkaSinkOptions {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  readonly logger: Logger;
  /** Produce and metadata request timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Leaders are re-read at least this often, and after any error. Default 5 min. */
  readonly metadataMaxAgeMs?: number;
}

/**
 * telemetry.raw through service-kit's LeanProducer (idempotent, acks=all, a fraction of kafkajs's
 * CPU per message). The forwarder sends the same records array again after an unknown outcome,
 * which the producer recognises and resends with the same sequence numbers, so the broker writes
 * such a batch once.
 */
export class LeanKafkaSink implements RawRecordSink {
  private readonly producer: LeanProducer;
  /**
   * The producer knows a resend by the identity of its messages array: the same records array
   * must map to the same messages array, or a resend after an unknown outcome would go out with
   * new sequence numbers and could be written twice.
   */
  private readonly messages = new WeakMap<readonly RawRecord[], readonly LeanMessage[]>();

  constructor(private readonly options: LeanKafkaSinkOptions) {
    this.producer = new LeanProducer({
      brokers: options.brokers,
      clientId: options.clientId,
      logger: options.logger,
      ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.metadataMaxAgeMs !== undefined && { metadataMaxAgeMs: options.metadataMaxAgeMs }),
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.options.logger.info('raw sink ready', { topic: this.options.topic, client: 'lean' });
  }

  status(): RawRecordSinkStatus {
    return { connected: this.producer.status().connected };
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  private messagesOf(records: readonly RawRecord[]): readonly LeanMessage[] {
    let messages = this.messages.get(records);
    if (messages === undefined) {
      messages = records.map(leanMessage);
      this.messages.set(records, messages);
    }
    return messages;
  }

  async send(records: readonly RawRecord[]): Promise<void> {
    try {
      await this.producer.send([{ topic: this.options.topic, messages: this.messagesOf(records) }]);
    } catch (error) {
      if (error instanceof LeanProduceError)
        throw new RawSinkError(error.code, error.message, { cause: error });
      throw new RawSinkError('UNAVAILABLE', String(error), { cause: error });
    }
  }
}

/** The shared headers go as the bytes encoded once per topic; only the receive time is encoded here. */
function leanMessage(record: RawRecord): LeanMessage {
  const split = record.split;
  if (split === undefined) return record;
  return { key: record.key, value: record.value, headers: split.own, encodedHeaders: split.shared };
}
