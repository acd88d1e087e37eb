import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanProducer } from '../src/kafka-lean/lean-producer.js';
import { API } from '../src/kafka-lean/protocol.js';
import { silentLogger } from '../src/logger.js';
import { responseFrame } from './response-frame.js';

const COORDINATOR_LOAD_IN_PROGRESS = 14;
const CLUSTER_AUTHORIZATION_FAILED = 31;

let server: Server | undefined;
let producer: LeanProducer | undefined;
afterEach(async () => {
  await producer?.close();
  server?.close();
});

function apiVersionsResponse(): Buffer {
  const apis = Object.values(API);
  const out = Buffer.alloc(6 + apis.length * 6);
  out.writeInt16BE(0, 0);
  out.writeInt32BE(apis.length, 2);
  apis.forEach((api, i) => {
    out.writeInt16BE(api.key, 6 + i * 6);
    out.writeInt16BE(0, 8 + i * 6);
    out.writeInt16BE(api.version, 10 + i * 6);
  });
  return out;
}

function initProducerIdResponse(errorCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32BE(0, 0); // throttle
  out.writeInt16BE(errorCode, 4);
  out.writeBigInt64BE(errorCode === 0 ? 42n : -1n, 6);
  out.writeInt16BE(0, 14);
  return out;
}

/** A broker stand-in whose InitProducerId answers are `errors`, in turn, then success. */
async function brokerAnsweringInitProducerId(
  errors: number[],
): Promise<{ port: number; asked: () => number }> {
  let asked = 0;
  server = createServer((socket: Socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const key = pending.readInt16BE(4);
        const correlationId = pending.readInt32BE(8);
        pending = pending.subarray(4 + pending.readInt32BE(0));
        if (key === API.apiVersions.key) socket.write(responseFrame(correlationId, apiVersionsResponse()));
        if (key === API.initProducerId.key)
          socket.write(responseFrame(correlationId, initProducerIdResponse(errors[asked++] ?? 0)));
      }
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, asked: () => asked };
}

describe('lean producer connect', () => {
  it('should wait while a broker just started answers InitProducerId with COORDINATOR_LOAD_IN_PROGRESS', async () => {
    const broker = await brokerAnsweringInitProducerId([
      COORDINATOR_LOAD_IN_PROGRESS,
      COORDINATOR_LOAD_IN_PROGRESS,
    ]);
    producer = new LeanProducer({
      brokers: [`127.0.0.1:${broker.port}`],
      clientId: 'test',
      logger: silentLogger,
      requestTimeoutMs: 5_000,
    });
    await producer.connect();
    expect(broker.asked()).toBe(3);
    expect(producer.status().connected).toBe(true);
  });

  it('should fail at once on an error that waiting cannot mend', async () => {
    const broker = await brokerAnsweringInitProducerId([CLUSTER_AUTHORIZATION_FAILED]);
    producer = new LeanProducer({
      brokers: [`127.0.0.1:${broker.port}`],
      clientId: 'test',
      logger: silentLogger,
      requestTimeoutMs: 5_000,
    });
    await expect(producer.connect()).rejects.toThrow(/InitProducerId failed/);
    expect(broker.asked()).toBe(1);
  });
});
