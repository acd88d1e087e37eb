import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger } from '@terrapulse/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanMqttConnector } from '../src/adapters/mqtt/lean-mqtt-connector.js';
import { PACKET, PacketReader } from '../src/adapters/mqtt/mqtt-packets.js';
import type { PublishError } from '../src/errors.js';

interface Publish {
  readonly id: number;
  readonly dup: boolean;
  readonly payload: string;
}

/** A scripted broker in this process: answers CONNECT, records PUBLISHes, acknowledges on demand. */
class FakeBroker {
  readonly publishes: Publish[] = [];
  readonly sockets: Socket[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(private readonly receiveMaximum: number) {}

  async start(): Promise<void> {
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      const reader = new PacketReader();
      socket.on('data', (chunk) => {
        for (const packet of reader.push(chunk)) {
          if (packet.type === PACKET.CONNECT) {
            // CONNACK: no session present, success, properties: Receive Maximum.
            const max = this.receiveMaximum;
            socket.write(Buffer.from([0x20, 6, 0, 0, 3, 0x21, max >> 8, max & 0xff]));
          } else if (packet.type === PACKET.PUBLISH) {
            const topicLength = packet.body.readUInt16BE(0);
            this.publishes.push({
              id: packet.body.readUInt16BE(2 + topicLength),
              dup: (packet.flags & 0x08) !== 0,
              payload: packet.body.subarray(2 + topicLength + 3).toString('utf8'),
            });
          }
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server?.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
  }

  ack(id: number, reasonCode = 0): void {
    this.sockets.at(-1)?.write(Buffer.from([0x40, 3, id >> 8, id & 0xff, reasonCode]));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('lean MQTT connector', () => {
  let broker: FakeBroker;
  afterEach(async () => broker?.stop());

  async function connect(receiveMaximum: number) {
    broker = new FakeBroker(receiveMaximum);
    await broker.start();
    const connector = new LeanMqttConnector({
      url: `mqtt://127.0.0.1:${broker.port}`,
      logger: silentLogger,
      reconnectPeriodMs: 50,
    });
    return connector.connect({ deviceId: 'dev-1', password: 'pw' });
  }

  it('should write no more publishes than the broker Receive Maximum before PUBACKs come back', async () => {
    const connection = await connect(2);
    const acked: number[] = [];
    for (let i = 0; i < 5; i++) connection.publish('t', `m${i}`, () => acked.push(i));
    await until(() => broker.publishes.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.publishes.map((p) => p.payload)).toEqual(['m0', 'm1']);
    broker.ack(broker.publishes[0]?.id ?? 0);
    await until(() => broker.publishes.length === 3);
    expect(broker.publishes[2]?.payload).toBe('m2');
    expect(acked).toEqual([0]);
    await connection.close(true);
  });

  it('should report a PUBACK with an error reason code as refused', async () => {
    const connection = await connect(10);
    const outcome = new Promise<PublishError | undefined>((resolve) => connection.publish('t', 'x', resolve));
    await until(() => broker.publishes.length === 1);
    broker.ack(broker.publishes[0]?.id ?? 0, 0x87);
    expect(await outcome).toMatchObject({
      refused: true,
      reasonCode: 0x87,
      message: expect.stringMatching(/not authorized/),
    });
    await connection.close(true);
  });

  it('should resend unacknowledged publishes in order, flagged DUP, after a reconnection', async () => {
    const connection = await connect(10);
    const acked: string[] = [];
    for (const m of ['a', 'b', 'c']) connection.publish('t', m, () => acked.push(m));
    await until(() => broker.publishes.length === 3);
    broker.ack(broker.publishes[0]?.id ?? 0);
    await until(() => acked.length === 1);
    broker.sockets.at(-1)?.destroy();
    await until(() => broker.sockets.length === 2 && broker.publishes.length === 5);
    expect(broker.publishes.map((p) => [p.payload, p.dup])).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
      ['b', true],
      ['c', true],
    ]);
    for (const p of broker.publishes.slice(3)) broker.ack(p.id);
    await until(() => acked.length === 3);
    expect(acked).toEqual(['a', 'b', 'c']);
    await connection.close(true);
  });
});
