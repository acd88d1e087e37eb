import { connect, type Socket } from 'node:net';
import { LeanProduceError } from './produce-error.js';
import { API, decodeApiVersions, frameRequest, Reader } from './protocol.js';

interface Pending {
  readonly resolve: (reader: Reader) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One TCP connection to one Kafka broker: size-framed requests, responses matched by correlation
 * id (a broker answers a connection's requests in order). Any failure closes the connection and
 * fails every request on it: their outcome is unknown, and the caller sends the same batch again.
 */
export class BrokerConnection {
  private nextCorrelationId = 0;
  private readonly pending = new Map<number, Pending>();
  /** Bytes received and not yet framed: chunks kept apart until a whole frame is there. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being received (its 4-byte prefix included), once known. */
  private frameSize = -1;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
    readonly address: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error.message));
    socket.on('close', () => this.fail('connection closed'));
  }

  static open(host: string, port: number, clientId: string, timeoutMs: number): Promise<BrokerConnection> {
    const address = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new LeanProduceError('UNAVAILABLE', `kafka ${address}: connection timed out after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new LeanProduceError('UNAVAILABLE', `kafka ${address}: ${error.message}`, { cause: error }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new BrokerConnection(socket, clientId, address));
      });
    });
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Sends a request; resolves with a reader positioned after the response header. */
  request(
    api: { readonly key: number; readonly version: number },
    body: readonly Buffer[],
    timeoutMs: number,
  ): Promise<Reader> {
    if (this.closed)
      return Promise.reject(new LeanProduceError('UNAVAILABLE', `kafka ${this.address}: connection closed`));
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    return new Promise<Reader>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`request timed out after ${timeoutMs} ms`), timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
      this.socket.cork();
      for (const chunk of frameRequest(api, correlationId, this.clientId, body)) this.socket.write(chunk);
      this.socket.uncork();
    });
  }

  /** Throws unless the broker serves every one of `apis` in the version this client speaks. */
  async requireApiVersions(
    apis: Readonly<Record<string, { readonly key: number; readonly version: number }>>,
    timeoutMs: number,
  ): Promise<void> {
    const versions = decodeApiVersions(await this.request(API.apiVersions, [], timeoutMs));
    for (const [name, api] of Object.entries(apis)) {
      const range = versions.apis.find((candidate) => candidate.key === api.key);
      if (range === undefined || api.version < range.min || api.version > range.max) {
        throw new Error(`kafka ${this.address} does not serve ${name} v${api.version}`);
      }
    }
  }

  close(): void {
    this.fail('closed by the client');
  }

  /**
   * Fetch responses run to megabytes in 64 KiB chunks: they are joined once, when the frame is
   * complete, rather than copied again with every chunk.
   */
  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) return;
        this.frameSize = 4 + this.head(4).readInt32BE(0);
      }
      if (this.buffered < this.frameSize) return;
      const joined = this.head(this.frameSize);
      const frame = joined.subarray(4, this.frameSize);
      const rest = joined.length > this.frameSize ? joined.subarray(this.frameSize) : undefined;
      this.chunks = rest === undefined ? this.chunks.slice(1) : [rest, ...this.chunks.slice(1)];
      this.buffered -= this.frameSize;
      this.frameSize = -1;
      this.deliver(frame);
    }
  }

  /** Makes the first chunk at least `bytes` long (joining chunks if needed) and returns it. */
  private head(bytes: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= bytes) return first;
    let count = 0;
    let length = 0;
    while (length < bytes) length += (this.chunks[count++] as Buffer).length;
    const joined = Buffer.concat(this.chunks.slice(0, count), length);
    this.chunks.splice(0, count, joined);
    return joined;
  }

  private deliver(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const waiter = this.pending.get(correlationId);
    if (waiter === undefined) return;
    this.pending.delete(correlationId);
    clearTimeout(waiter.timer);
    waiter.resolve(new Reader(frame.subarray(4)));
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const error = new LeanProduceError('UNAVAILABLE', `kafka ${this.address}: ${reason}`);
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.pending.clear();
  }
}
