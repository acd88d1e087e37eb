import { connect, type Socket } from 'node:net';
import { LeanProduceError } from './produce-error.js';
import { frameRequest, Reader } from './protocol.js';

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
  private received: Buffer = Buffer.alloc(0);
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

  close(): void {
    this.fail('closed by the client');
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      if (this.received.length < 4 + size) return;
      const frame = this.received.subarray(4, 4 + size);
      this.received = this.received.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      const waiter = this.pending.get(correlationId);
      if (waiter === undefined) continue;
      this.pending.delete(correlationId);
      clearTimeout(waiter.timer);
      waiter.resolve(new Reader(frame.subarray(4)));
    }
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
