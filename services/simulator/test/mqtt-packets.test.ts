import { describe, expect, it } from 'vitest';
import {
  encodeConnect,
  encodePublish,
  markDuplicate,
  PACKET,
  PacketReader,
  parseConnack,
  parsePuback,
  pubackPacketId,
  pubackReasonCode,
  publishLength,
  writePublish,
} from '../src/adapters/mqtt/mqtt-packets.js';

describe('MQTT 5 packets', () => {
  it('should encode a QoS 1 PUBLISH with its topic, packet id, empty properties and payload', () => {
    const packet = encodePublish(Buffer.from('a/b'), 0x1234, 'héllo', false);
    expect([...packet]).toEqual([
      0x32,
      2 + 3 + 2 + 1 + 6,
      0,
      3,
      ...Buffer.from('a/b'),
      0x12,
      0x34,
      0,
      ...Buffer.from('héllo', 'utf8'),
    ]);
    expect(markDuplicate(packet)[0]).toBe(0x3a);
  });

  it('should encode a long remaining length on several bytes', () => {
    const packet = encodePublish(Buffer.from('t'), 1, 'x'.repeat(200), false);
    const remaining = 2 + 1 + 2 + 1 + 200;
    expect([packet[1], packet[2]]).toEqual([(remaining % 128) | 0x80, Math.floor(remaining / 128)]);
    expect(packet).toHaveLength(1 + 2 + remaining);
  });

  it('should write a PUBLISH in place exactly as encodePublish returns it', () => {
    for (const payload of ['héllo', 'x'.repeat(200), '']) {
      const topic = Buffer.from('terrapulse/v1/devices/d-1/up/json');
      const length = Buffer.byteLength(payload, 'utf8');
      const target = Buffer.alloc(3 + publishLength(topic.length, length) + 2, 0xee);
      const end = writePublish(target, 3, topic, 0xbeef, payload, length, true);
      expect(end).toBe(3 + publishLength(topic.length, length));
      expect(target.subarray(3, end)).toEqual(encodePublish(topic, 0xbeef, payload, true));
      expect([...target.subarray(0, 3), ...target.subarray(end)]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee]);
    }
  });

  it('should encode a CONNECT at protocol level 5 with clean start, username and password', () => {
    const packet = encodeConnect({ clientId: 'dev-1', username: 'dev-1', password: 'pw', keepaliveS: 60 });
    expect(packet[0]).toBe(0x10);
    expect(packet.subarray(2, 8).toString('latin1')).toBe('\u0000\u0004MQTT');
    expect([packet[8], packet[9], packet.readUInt16BE(10), packet[12]]).toEqual([5, 0xc2, 60, 0]);
    expect(packet.subarray(13).toString('latin1')).toBe('\u0000\u0005dev-1\u0000\u0005dev-1\u0000\u0002pw');
  });

  it('should split a stream into packets, whatever the chunk boundaries', () => {
    const pubacks = Buffer.from([0x40, 2, 0, 1, 0x40, 3, 0, 2, 0x87, 0x40, 4, 0, 3, 0, 0]);
    const reader = new PacketReader();
    const packets = [
      ...reader.push(pubacks.subarray(0, 5)),
      ...reader.push(pubacks.subarray(5, 11)),
      ...reader.push(pubacks.subarray(11)),
    ];
    expect(packets.map((p) => p.type)).toEqual([PACKET.PUBACK, PACKET.PUBACK, PACKET.PUBACK]);
    expect(packets.map((p) => parsePuback(p.body))).toEqual([
      { packetId: 1, reasonCode: 0 },
      { packetId: 2, reasonCode: 0x87 },
      { packetId: 3, reasonCode: 0 },
    ]);
  });

  it('should visit packets in place, a packet split across chunks included', () => {
    const pubacks = Buffer.from([0x40, 2, 0, 1, 0x40, 3, 0, 2, 0x87, 0xd0, 0]);
    const reader = new PacketReader();
    const seen: unknown[] = [];
    const visit = (type: number, _flags: number, data: Buffer, start: number, end: number) =>
      seen.push(
        type === PACKET.PUBACK
          ? [type, pubackPacketId(data, start), pubackReasonCode(data, start, end)]
          : [type, end - start],
      );
    reader.visit(pubacks.subarray(0, 6), visit);
    expect(seen).toEqual([[PACKET.PUBACK, 1, 0]]);
    reader.visit(pubacks.subarray(6), visit);
    expect(seen).toEqual([
      [PACKET.PUBACK, 1, 0],
      [PACKET.PUBACK, 2, 0x87],
      [PACKET.PINGRESP, 0],
    ]);
  });

  it('should read only the given length of a reused read buffer, keeping a partial packet', () => {
    const buffer = Buffer.alloc(16, 0xff);
    const reader = new PacketReader();
    const seen: number[] = [];
    const visit = (_type: number, _flags: number, data: Buffer, start: number) =>
      seen.push(pubackPacketId(data, start));
    Buffer.from([0x40, 2, 0, 1, 0x40, 2]).copy(buffer);
    reader.visit(buffer, visit, 6);
    buffer.fill(0xff);
    Buffer.from([0, 2, 0x40, 2, 0, 3]).copy(buffer);
    reader.visit(buffer, visit, 6);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('should read the reason code and Receive Maximum of a CONNACK', () => {
    // Session Expiry (0x11, 4 bytes), then Receive Maximum (0x21) = 20.
    const body = Buffer.from([0, 0, 8, 0x11, 0, 0, 0, 0, 0x21, 0, 20]);
    expect(parseConnack(body)).toEqual({ reasonCode: 0, receiveMaximum: 20 });
    expect(parseConnack(Buffer.from([0, 0x86]))).toEqual({ reasonCode: 0x86 });
  });
});
