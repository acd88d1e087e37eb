import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import { PointSinkError } from '../../errors.js';
import type { PointSink } from '../../ports/point-sink.js';

export interface InfluxPointSinkOptions {
  /** Base URL, e.g. http://127.0.0.1:8086. */
  readonly url: string;
  /** InfluxDB 1.8 takes `username:password` as the token of its v2-compatible API. */
  readonly token: string;
  /** 1.8's v2 bucket is `database/retention-policy`. */
  readonly bucket: string;
  /** A request not answered within this time is abandoned (and retried by the writer). */
  readonly timeoutMs: number;
  /** Concurrent connections; the writer's in-flight limit is what really bounds them. */
  readonly maxSockets?: number;
}

const WRITE_HEADERS = { 'content-type': 'text/plain; charset=utf-8' };

/** `partial write: ... dropped=12` */
const DROPPED = /dropped=(\d+)/;

/**
 * Writes through the official client's HTTP transport to `/api/v2/write`, one request per call.
 *
 * Not through its WriteApi, on purpose: WriteApi batches on a timer, flushes in the background
 * and, on failure, moves lines into a RetryBuffer that drops the oldest lines when it exceeds
 * `maxBufferLines` and gives up after `maxRetryTime` (WriteApiImpl.sendBatch and RetryBuffer in
 * the client's sources). Even with `maxRetries: 0`, a batch flushed by the size trigger fails
 * into a promise nobody awaits. `transport.request` resolves on 2xx and rejects with an HttpError
 * carrying the status and body otherwise, so the promise returned here settles exactly when
 * InfluxDB has or has not accepted this body, and the writer keeps batching and retries to itself.
 */
export class InfluxPointSink implements PointSink {
  readonly #transport: Transport;
  readonly #agent: HttpAgent;
  readonly #writePath: string;
  readonly #timeoutMs: number;

  constructor(options: InfluxPointSinkOptions) {
    const https = new URL(options.url).protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
    this.#agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#transport = new InfluxDB({
      url: options.url,
      token: options.token,
      timeout: options.timeoutMs,
      transportOptions: { agent: this.#agent },
    }).transport;
    // Nanosecond precision: rejections need sub-millisecond timestamps, and one precision for
    // every measurement keeps a single request per batch.
    this.#writePath = `/api/v2/write?org=&bucket=${encodeURIComponent(options.bucket)}&precision=ns`;
    this.#timeoutMs = options.timeoutMs;
  }

  async write(body: string | Buffer, signal?: AbortSignal): Promise<void> {
    // The transport's own timeout only reports: it leaves the socket open. Aborting destroys it.
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      await this.#post(body, combined);
    } catch (error) {
      if (signal?.aborted) throw new PointSinkError('ABORTED', 'write aborted', { cause: error });
      if (timeout.aborted) {
        throw new PointSinkError('TIMEOUT', `no answer within ${this.#timeoutMs} ms`, { cause: error });
      }
      throw classify(error);
    }
  }

  /**
   * `transport.request` takes strings only (it would JSON.stringify a Buffer). `send`, under it,
   * is typed for strings too but starts with `Buffer.from(body, 'utf-8')`, which copies a Buffer
   * as is (the node transport, 1.35), and reports the answer as `request` does: an HttpError past
   * 2xx, an AbortError when the signal fires.
   */
  #post(body: string | Buffer, signal: AbortSignal): Promise<void> {
    const options = { method: 'POST', headers: WRITE_HEADERS, signal };
    if (typeof body === 'string') return this.#transport.request(this.#writePath, body, options);
    return new Promise((resolve, reject) => {
      this.#transport.send(this.#writePath, body as unknown as string, options, {
        error: reject,
        complete: () => resolve(),
      });
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.#transport.request('/ping', '', {
        method: 'GET',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}

/** Turns what the transport threw into a coded error: the status decides, never the text. */
export function classify(error: unknown): PointSinkError {
  if (!(error instanceof HttpError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new PointSinkError('UNREACHABLE', `InfluxDB unreachable: ${message}`, { cause: error });
  }
  const status = error.statusCode;
  const text = `InfluxDB answered ${status}: ${error.body ?? error.message}`.slice(0, 500);
  const details = { status, cause: error };
  if (status === 400 || status === 413 || status === 422) {
    const dropped = DROPPED.exec(error.body ?? '')?.[1];
    return new PointSinkError('POINTS_REJECTED', text, {
      ...details,
      ...(dropped !== undefined && { droppedPoints: Number(dropped) }),
    });
  }
  if (status === 401 || status === 403) return new PointSinkError('UNAUTHORIZED', text, details);
  if (status === 404) return new PointSinkError('NOT_FOUND', text, details);
  if (status === 429 || status === 503) return new PointSinkError('THROTTLED', text, details);
  return new PointSinkError('SERVER_ERROR', text, details);
}
