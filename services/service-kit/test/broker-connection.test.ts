import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerConnection } from '../src/kafka-lean/broker-connection.js';
import { responseFrame } from './response-frame.js';

const API = { key: 18, version: 0 };
const PAYLOAD_STEP = 700;

/** The correlation ids of the whole request frames in `bytes` (size, api key, version, id...). */
function correlationIds(bytes: Buffer): { ids: number[]; rest: Buffer } {
  const ids: number[] = [];
  let at = 0;
  while (at + 4 <= bytes.length && at + 4 + bytes.readInt32BE(at) <= bytes.length) {
    ids.push(bytes.readInt32BE(at + 8));
    at += 4 + bytes.readInt32BE(at);
  }
  return { ids, rest: bytes.subarray(at) };
}

let server: Server | undefined;
let connection: BrokerConnection | undefined;
afterEach(() => {
  connection?.close();
  server?.close();
});

/**
 * A broker stand-in that answers every request once `expected` have come, all responses in one
 * write cut into pieces of `pieceBytes`, sent one per event-loop turn: payload i has i * PAYLOAD_STEP bytes.
 */
async function brokerAnsweringInPieces(expected: number, pieceBytes: number): Promise<number> {
  server = createServer((socket: Socket) => {
    socket.setNoDelay(true); // each piece its own segment, so the client reads them apart
    let pending: Buffer = Buffer.alloc(0);
    const ids: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      const read = correlationIds(Buffer.concat([pending, chunk]));
      pending = read.rest;
      ids.push(...read.ids);
      if (ids.length < expected) return;
      const all = Buffer.concat(ids.map((id, i) => responseFrame(id, Buffer.alloc(i * PAYLOAD_STEP, i + 1))));
      const send = (at: number) => {
        if (at >= all.length) return;
        socket.write(all.subarray(at, at + pieceBytes));
        setImmediate(() => send(at + pieceBytes));
      };
      send(0);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('broker connection', () => {
  it.each([1, 3, 7, 10_000])(
    'should hand each response to its request when responses arrive cut every %i bytes',
    async (pieceBytes) => {
      const port = await brokerAnsweringInPieces(4, pieceBytes);
      connection = await BrokerConnection.open('127.0.0.1', port, 'test', 5_000);
      const open = connection;
      const readers = await Promise.all([0, 1, 2, 3].map(() => open.request(API, [], 5_000)));
      readers.forEach((reader, i) => {
        const read = Array.from({ length: i * PAYLOAD_STEP }, () => reader.int8());
        expect(read).toEqual(new Array(i * PAYLOAD_STEP).fill(i + 1));
      });
    },
  );
});
