/**
 * Where points go: a time-series store that accepts line protocol. The adapter owns its
 * connections; the writer owns batching and retries, so an implementation must not buffer,
 * retry or drop anything on its own.
 */
export interface PointSink {
  /**
   * Writes newline-separated lines of line protocol. Resolves only once the store has accepted
   * every line (durable on its side); rejects with a PointSinkError otherwise, including when
   * `signal` aborts the request.
   */
  write(body: string, signal?: AbortSignal): Promise<void>;
  /** True when the store answers its health endpoint. Never throws. */
  ping(): Promise<boolean>;
  /** Releases connections. */
  close(): Promise<void>;
}
