/**
 * Where points go: a time-series store that accepts line protocol. The adapter owns its
 * connections; the writer owns batching and retries, so an implementation must not buffer,
 * retry or drop anything on its own.
 */
export interface PointSink {
  /**
   * Writes newline-separated lines of line protocol (a Buffer holds them as UTF-8). Resolves only
   * once the store has accepted every line (durable on its side); rejects with a PointSinkError
   * otherwise, including when `signal` aborts the request. A Buffer body may be reused once the
   * promise settles: an implementation must not read it after.
   */
  write(body: string | Buffer, signal?: AbortSignal): Promise<void>;
  /** True when the store answers its health endpoint. Never throws. */
  ping(): Promise<boolean>;
  /** Releases connections. */
  close(): Promise<void>;
}
