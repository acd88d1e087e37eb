import { InfluxDB, type Transport } from '@influxdata/influxdb-client';
import { type Point, toLine } from '../../domain/index.js';
import type { PointWriter } from '../../ports/index.js';

export interface InfluxSettings {
  /** Base URL, e.g. http://127.0.0.1:8086. */
  readonly url: string;
  readonly database: string;
  /** @default 'autogen' */
  readonly retentionPolicy?: string;
  readonly username: string;
  readonly password: string;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** One series of an InfluxQL answer. */
export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

/** Lines per write request: InfluxDB's sweet spot is 5,000 to 10,000. */
const LINES_PER_WRITE = 5_000;

/**
 * InfluxDB over HTTP: InfluxQL reads through /query (served by 1.x, 2.x and 3.x), writes through
 * the official client's transport to the v2-compatible /api/v2/write, one awaited request per
 * chunk (not its WriteApi, which retries and drops in the background; see the influx-writer).
 */
export class InfluxHttp implements PointWriter {
  readonly #settings: InfluxSettings;
  readonly #transport: Transport;
  readonly #timeoutMs: number;

  constructor(settings: InfluxSettings) {
    this.#settings = settings;
    this.#timeoutMs = settings.timeoutMs ?? 30_000;
    this.#transport = new InfluxDB({
      url: settings.url,
      token: `${settings.username}:${settings.password}`,
      timeout: this.#timeoutMs,
    }).transport;
  }

  async query(q: string): Promise<InfluxSeries[]> {
    const url = new URL('/query', this.#settings.url);
    url.searchParams.set('db', this.#settings.database);
    url.searchParams.set('q', q);
    url.searchParams.set('epoch', 'ms');
    const auth = Buffer.from(`${this.#settings.username}:${this.#settings.password}`).toString('base64');
    const response = await fetch(url, {
      headers: { authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await response.text();
    let body: { results?: Array<{ series?: InfluxSeries[]; error?: string }>; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`InfluxQL query failed (${response.status}): ${text.slice(0, 300)}`);
    }
    const error = body.error ?? body.results?.[0]?.error;
    if (!response.ok || error !== undefined)
      throw new Error(`InfluxQL query failed (${response.status}): ${error ?? text.slice(0, 300)}`);
    return body.results?.[0]?.series ?? [];
  }

  async write(points: readonly Point[]): Promise<void> {
    const bucket = `${this.#settings.database}/${this.#settings.retentionPolicy ?? 'autogen'}`;
    const path = `/api/v2/write?org=&bucket=${encodeURIComponent(bucket)}&precision=ms`;
    for (let i = 0; i < points.length; i += LINES_PER_WRITE) {
      const body = points
        .slice(i, i + LINES_PER_WRITE)
        .map(toLine)
        .join('\n');
      await this.#transport.request(path, body, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    }
  }
}
