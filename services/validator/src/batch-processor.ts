import type { RejectionReason } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import { encodeReading, type RawUplink, type UplinkValidator } from './domain/index.js';
import type { ValidatorMetrics } from './metrics.js';
import type { OutputMessage, OutputSink, RawBatch } from './ports/index.js';

export interface BatchProcessorOptions {
  readonly validate: UplinkValidator;
  readonly sink: OutputSink;
  readonly topics: { readonly readings: string; readonly rejected: string };
  readonly metrics: ValidatorMetrics;
  readonly logger: Logger;
  /**
   * Bytes of output per send. kafkajs puts all of a partition's messages of one send into one
   * record batch, which the broker refuses above `message.max.bytes` (1 MiB by default).
   */
  readonly maxSendBytes: number;
  /**
   * Aborted when the service stops. A send in flight then gets `stopGraceMs` to be acknowledged
   * (and committed); after that it is abandoned and its messages are redelivered to the next owner.
   */
  readonly signal: AbortSignal;
  /** Default 5 s. */
  readonly stopGraceMs?: number;
  /** Backoff between retries of a failed send. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

/** Resolves `graceMs` after the signal aborts. */
const abortedAfter = (signal: AbortSignal, graceMs: number): Promise<'aborted'> =>
  new Promise((resolve) => {
    const later = () => setTimeout(() => resolve('aborted'), graceMs).unref();
    if (signal.aborted) later();
    else signal.addEventListener('abort', later, { once: true });
  });

/**
 * Validates a batch of raw messages and writes its outputs at least once: all readings and dead
 * letters of the batch go out in one send (more only when they exceed `maxSendBytes`), and a
 * message's offset is committed only after every output of it was acknowledged. A failed send is
 * retried with backoff while the partition waits, so consumption pauses instead of buffering.
 */
export function createBatchProcessor(options: BatchProcessorOptions): (batch: RawBatch) => Promise<void> {
  const { validate, sink, topics, metrics, logger, maxSendBytes, signal } = options;
  const retry = options.retry ?? { initialMs: 200, maxMs: 10_000 };
  const stopped = abortedAfter(signal, 0);
  const sendAbandoned = abortedAfter(signal, options.stopGraceMs ?? 5_000);

  /** Sends until acknowledged; false when the batch must be handed back (stopping, revoked). */
  async function sendDurably(batch: RawBatch, readings: OutputMessage[], rejections: OutputMessage[]) {
    const batches = [];
    if (readings.length > 0) batches.push({ topic: topics.readings, messages: readings });
    if (rejections.length > 0) batches.push({ topic: topics.rejected, messages: rejections });
    if (batches.length === 0) return true;
    for (let delay = retry.initialMs; ; delay = Math.min(delay * 2, retry.maxMs)) {
      const started = performance.now();
      const sending = sink.send(batches);
      sending.catch(() => {}); // an abandoned send must not become an unhandled rejection
      try {
        if ((await Promise.race([sending, sendAbandoned])) === 'aborted') return false;
        metrics.batchDuration.observe({ stage: 'send' }, (performance.now() - started) / 1000);
        return true;
      } catch (error) {
        metrics.sendFailures.inc();
        logger.warn('output send failed, retrying', { error, partition: batch.partition, delayMs: delay });
      }
      const wait = new Promise((resolve) => setTimeout(resolve, delay));
      if ((await Promise.race([wait, stopped])) === 'aborted' || !batch.isActive()) return false;
      await batch.heartbeat().catch(() => {});
      if (!batch.isActive()) return false;
    }
  }

  return async (batch) => {
    const pending = new PendingOutput();
    // The last message whose outputs are pending or sent; its offset string is read only to commit,
    // as some sources build it on first read.
    let completed: RawUplink | undefined;
    let committed: string | undefined;
    let cpuStarted = performance.now();
    let cpuMs = 0;

    const flush = async (): Promise<boolean> => {
      cpuMs += performance.now() - cpuStarted;
      const ok = await sendDurably(batch, pending.readings, pending.rejections);
      cpuStarted = performance.now();
      if (!ok) return false;
      pending.recordSent(metrics);
      const offset = completed?.offset;
      if (offset !== undefined && offset !== committed) {
        await batch.commit(offset);
        committed = offset;
      }
      await batch.heartbeat().catch(() => {});
      return batch.isActive();
    };
    /** True when the send would outgrow maxSendBytes with `message`: what is pending goes first. */
    const overflows = (message: OutputMessage): boolean =>
      pending.bytes + outputBytes(message) > maxSendBytes && !pending.isEmpty();

    try {
      for (const message of batch.messages) {
        if (!batch.isActive()) return;
        const { key, readings, rejections } = validate(message, batch.partition);
        // Awaits only when a flush is due: an await per output would cost a microtask turn each.
        for (const reading of readings) {
          const output = { key, value: encodeReading(reading) };
          if (overflows(output) && !(await flush())) return;
          pending.add('readings', output);
        }
        for (const rejection of rejections) {
          pending.countRejection(rejection.reason);
          const output = { key, value: Buffer.from(JSON.stringify(rejection)) };
          if (overflows(output) && !(await flush())) return;
          pending.add('rejections', output);
        }
        pending.messages += 1;
        completed = message;
      }
      if (completed !== undefined) await flush();
    } finally {
      cpuMs += performance.now() - cpuStarted;
      metrics.batchDuration.observe({ stage: 'validate' }, cpuMs / 1000);
      metrics.consumerLag.set({ partition: String(batch.partition) }, batch.lag);
    }
  };
}

const outputBytes = (message: OutputMessage): number => message.value.byteLength + message.key.length;

/**
 * Outputs not yet acknowledged, with their tallies: metrics count what was written, so a batch
 * handed back at shutdown is not counted twice when it is redelivered.
 */
class PendingOutput {
  readings: OutputMessage[] = [];
  rejections: OutputMessage[] = [];
  bytes = 0;
  messages = 0;
  private readonly rejectedByReason = new Map<RejectionReason, number>();

  /** Looks the list up when called: a flush replaces the lists. */
  add(output: 'readings' | 'rejections', message: OutputMessage): void {
    this[output].push(message);
    this.bytes += outputBytes(message);
  }

  isEmpty(): boolean {
    return this.readings.length === 0 && this.rejections.length === 0;
  }

  countRejection(reason: RejectionReason): void {
    this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + 1);
  }

  recordSent(metrics: ValidatorMetrics): void {
    metrics.messagesIn.inc(this.messages);
    metrics.readingsOut.inc(this.readings.length);
    for (const [reason, count] of this.rejectedByReason) metrics.rejected.inc({ reason }, count);
    this.rejectedByReason.clear();
    this.readings = [];
    this.rejections = [];
    this.bytes = 0;
    this.messages = 0;
  }
}
