import { connect, type Socket } from 'node:net';
import { LeanProduceError } from './produce-error.js';
import { API, decodeApiVersions, frameRequest, Reader } from './protocol.js';

/** The reused read buffer: fetch responses run to megabytes, so reads take what has arrived. */
const READ_BUFFER_BYTES = 256 * 1024;
/**
 * A response larger than this is a broken stream or not Kafka: fetches ask for 10 MiB at most by
 * default, and allocating what a garbled size prefix claims would take the process down.
 */
const MAX_FRAME_BYTES = 512 * 1024 * 1024;

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
  /** The frame being received (after its size prefix), allocated once its size is known. */
  private frame: Buffer | undefined;
  private frameFilled = 0;
  /** The size prefix of the next frame, as far as it has arrived. */
  private sizePrefix = 0;
  private sizePrefixBytes = 0;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
    readonly address: string,
  ) {
    socket.setNoDelay(true);
    socket.on('error', (error) => this.fail(error.message));
    socket.on('close', () => this.fail('connection closed'));
  }

  static open(host: string, port: number, clientId: string, timeoutMs: number): Promise<BrokerConnection> {
    const address = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      // Reads land in one reused buffer (no Buffer per read and no stream machinery), and are
      // copied once into their frame. Nothing arrives before the connection exists: it sends first.
      let connection: BrokerConnection | undefined;
      const socket = connect({
        host,
        port,
        onread: {
          buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
          callback: (bytes: number, buffer: Uint8Array) => {
            connection?.onRead(buffer, bytes);
            return true; // keep reading: a response is consumed as soon as it is whole
          },
        },
      });
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
        connection = new BrokerConnection(socket, clientId, address);
        resolve(connection);
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
   * Frames the bytes of one read: a size prefix (which may come split over reads), then that
   * many bytes copied into a frame of their own, handed over once whole.
   */
  private onRead(buffer: Uint8Array, bytes: number): void {
    let at = 0;
    while (at < bytes) {
      if (this.frame === undefined) {
        while (this.sizePrefixBytes < 4 && at < bytes) {
          this.sizePrefix = (this.sizePrefix << 8) | (buffer[at++] as number);
          this.sizePrefixBytes += 1;
        }
        if (this.sizePrefixBytes < 4) return;
        if (this.sizePrefix < 4 || this.sizePrefix > MAX_FRAME_BYTES) {
          this.fail(`malformed response frame of ${this.sizePrefix} bytes`);
          return;
        }
        this.frame = Buffer.allocUnsafe(this.sizePrefix);
        this.frameFilled = 0;
      }
      const frame = this.frame;
      const take = Math.min(bytes - at, frame.length - this.frameFilled);
      frame.set(buffer.subarray(at, at + take), this.frameFilled);
      at += take;
      this.frameFilled += take;
      if (this.frameFilled < frame.length) return;
      this.frame = undefined;
      this.sizePrefix = 0;
      this.sizePrefixBytes = 0;
      this.deliver(frame);
    }
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
