import { describe, expect, it } from 'vitest';
import { PacketFramer } from '../src/adapters/mqtt/packet-framer.js';
import {
  encodeConnect,
  encodeDisconnect,
  encodePubacks,
  encodeSubscribe,
  MalformedPacketError,
  parseConnack,
  parsePublish,
  parseSuback,
} from '../src/adapters/mqtt/subscriber-packets.js';

/** A PUBLISH as a broker writes it, with `propertyBytes` of properties. */
function publishPacket(
  topic: string,
  packetId: number,
  payload: Buffer,
  propertyBytes: number[] = [],
): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const body = Buffer.concat([
    Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]),
    topicBytes,
    Buffer.from([packetId >> 8, packetId & 0xff, propertyBytes.length, ...propertyBytes]),
    payload,
  ]);
  const length = body.length < 128 ? [body.length] : [(body.length & 0x7f) | 0x80, body.length >> 7];
  return Buffer.concat([Buffer.from([0x33, ...length]), body]);
}

function frames(
  framer: PacketFramer,
  more = () => true,
): Array<{ type: number; flags: number; body: Buffer }> {
  const seen: Array<{ type: number; flags: number; body: Buffer }> = [];
  framer.drain(
    (type, flags, data, start, end) => seen.push({ type, flags, body: data.subarray(start, end) }),
    more,
  );
  return seen;
}

describe('MQTT 5 subscriber packets', () => {
  // Byte lists checked once against mqtt-packet's parser (MQTT.js's own).
  it('should encode CONNECT without clean start, with session expiry, receive maximum and maximum packet size', () => {
    const packet = encodeConnect({
      clientId: 'b-0',
      username: 'u',
      password: 'p',
      keepaliveS: 60,
      sessionExpiryS: 604_800,
      receiveMaximum: 256,
      maximumPacketSize: 1_000_000,
    });
    expect([...packet]).toEqual([
      0x10, 35, 0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 0xc0, 0, 60, 13, 0x11, 0x00, 0x09, 0x3a, 0x80, 0x21, 0x01,
      0x00, 0x27, 0x00, 0x0f, 0x42, 0x40, 0, 3, 0x62, 0x2d, 0x30, 0, 1, 0x75, 0, 1, 0x70,
    ]);
  });

  it('should encode SUBSCRIBE at QoS 1, PUBACKs in one buffer and both DISCONNECTs', () => {
    expect([...encodeSubscribe(1, '$share/g/a/+')]).toEqual([
      0x82,
      18,
      0,
      1,
      0,
      0,
      12,
      ...Buffer.from('$share/g/a/+'),
      1,
    ]);
    expect([...encodePubacks(Uint16Array.from([1, 0x1234, 65_535]), 3)]).toEqual([
      0x40, 2, 0, 1, 0x40, 2, 0x12, 0x34, 0x40, 2, 0xff, 0xff,
    ]);
    expect([...encodeDisconnect(false)]).toEqual([0xe0, 1, 0]);
    expect([...encodeDisconnect(true)]).toEqual([0xe0, 7, 0, 5, 0x11, 0, 0, 0, 0]);
  });

  it('should decode CONNACK and SUBACK, properties included', () => {
    expect(parseConnack(Buffer.from([1, 0, 0]), 0, 3)).toEqual({ sessionPresent: true, reasonCode: 0 });
    expect(parseConnack(Buffer.from([0, 0x86, 0]), 0, 3)).toEqual({
      sessionPresent: false,
      reasonCode: 0x86,
    });
    const suback = Buffer.from([0, 1, 3, 0x1f, 0, 0, 0x01]);
    expect(parseSuback(suback, 0, suback.length)).toEqual({ packetId: 1, reasonCodes: [1] });
    expect(() => parseSuback(Buffer.from([0, 1, 9]), 0, 3)).toThrow(MalformedPacketError);
  });

  it('should decode a PUBLISH with properties, its payload bytes untouched', () => {
    const payload = Buffer.from([0xff, 0x00, 0xfe]);
    // Message expiry (4 bytes) and a user property: skipped, the payload starts after them.
    const properties = [0x02, 0, 0, 0, 9, 0x26, 0, 1, 0x6b, 0, 1, 0x76];
    const packet = publishPacket('terrapulse/v1/devices/é/up/json', 513, payload, properties);
    const framer = new PacketFramer();
    framer.push(packet);
    const [frame] = frames(framer);
    if (frame === undefined) throw new Error('no frame');
    const publish = parsePublish(frame.flags, frame.body, 0, frame.body.length);
    expect(publish).toMatchObject({
      topic: 'terrapulse/v1/devices/é/up/json',
      qos: 1,
      retain: true,
      packetId: 513,
    });
    expect([...publish.payload]).toEqual([...payload]);
  });

  it('should refuse a PUBLISH with QoS 3, an empty topic, or cut short', () => {
    const body = Buffer.from([0, 1, 0x61, 0, 7, 0]);
    expect(() => parsePublish(0x06, body, 0, body.length)).toThrow(/QoS 3/);
    expect(() => parsePublish(0x02, Buffer.from([0, 0, 0, 1, 0]), 0, 5)).toThrow(/empty topic/);
    expect(() => parsePublish(0x02, Buffer.from([0, 1, 0x61, 0]), 0, 4)).toThrow(/packet id/);
    expect(() => parsePublish(0x02, Buffer.from([0, 1, 0x61, 0, 7, 5, 1]), 0, 7)).toThrow(/properties/);
  });
});

describe('PacketFramer', () => {
  it('should give the same packets whatever the chunk boundaries, lengths of two bytes included', () => {
    const big = Buffer.alloc(300, 0x41);
    const stream = Buffer.concat([
      publishPacket('a/b', 1, big),
      Buffer.from([0xd0, 0]),
      publishPacket('c', 2, big),
    ]);
    for (const cut of [1, 2, 3, 150, stream.length - 1]) {
      const framer = new PacketFramer();
      framer.push(stream.subarray(0, cut));
      const seen = frames(framer);
      framer.push(stream.subarray(cut));
      seen.push(...frames(framer));
      expect(seen.map((f) => [f.type, f.body.length])).toEqual([
        [3, 2 + 3 + 2 + 1 + 300],
        [13, 0],
        [3, 2 + 1 + 2 + 1 + 300],
      ]);
    }
  });

  it('should stop between packets when told, and hand the rest over later', () => {
    const stream = Buffer.concat([
      publishPacket('a', 1, Buffer.from('x')),
      publishPacket('a', 2, Buffer.from('y')),
    ]);
    const framer = new PacketFramer();
    framer.push(stream);
    let allowed = 1;
    const first = frames(framer, () => allowed-- > 0);
    expect(first).toHaveLength(1);
    const rest = frames(framer);
    expect(rest.map((f) => parsePublish(f.flags, f.body, 0, f.body.length).packetId)).toEqual([2]);
  });

  it('should refuse a remaining length longer than four bytes', () => {
    const framer = new PacketFramer();
    framer.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(() => frames(framer)).toThrow(MalformedPacketError);
  });
});
