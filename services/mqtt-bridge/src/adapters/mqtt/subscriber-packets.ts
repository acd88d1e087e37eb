/**
 * The MQTT 5 packets a subscribing bridge connection exchanges (OASIS MQTT 5.0, chapter 3),
 * encoded and decoded by hand: CONNECT with the session properties, CONNACK, SUBSCRIBE, SUBACK,
 * PUBLISH in, PUBACK out, PINGREQ/PINGRESP, DISCONNECT both ways.
 */

import { variableByteIntegerLength, writeVariableByteInteger } from '@terrapulse/service-kit';

export const PACKET = {
  CONNACK: 2,
  PUBLISH: 3,
  SUBACK: 9,
  PINGRESP: 13,
  DISCONNECT: 14,
} as const;

export const PINGREQ = Buffer.from([0xc0, 0x00]);

const PROPERTY = {
  SESSION_EXPIRY_INTERVAL: 0x11,
  RECEIVE_MAXIMUM: 0x21,
  MAXIMUM_PACKET_SIZE: 0x27,
} as const;

export class MalformedPacketError extends Error {
  override readonly name = 'MalformedPacketError';
}

/** The value of a Variable Byte Integer at `at` and the offset after it, or undefined if cut short. */
export function readVarint(
  data: Buffer,
  at: number,
  end: number,
): { value: number; next: number } | undefined {
  let value = 0;
  let multiplier = 1;
  for (let i = 0, cursor = at; i < 4 && cursor < end; i++) {
    const byte = data[cursor++] as number;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value, next: cursor };
    multiplier *= 128;
  }
  if (end - at >= 4) throw new MalformedPacketError('malformed variable byte integer');
  return undefined;
}

function withFixedHeader(first: number, body: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(1 + variableByteIntegerLength(body.length) + body.length);
  packet[0] = first;
  body.copy(packet, writeVariableByteInteger(packet, 1, body.length));
  return packet;
}

function utf8Field(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const field = Buffer.allocUnsafe(2 + bytes.length);
  field.writeUInt16BE(bytes.length, 0);
  bytes.copy(field, 2);
  return field;
}

export interface ConnectOptions {
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly keepaliveS: number;
  readonly sessionExpiryS: number;
  readonly receiveMaximum: number;
  readonly maximumPacketSize: number;
}

/** CONNECT without clean start: the broker resumes the session and what it queued for it. */
export function encodeConnect(options: ConnectOptions): Buffer {
  const properties = Buffer.allocUnsafe(5 + 3 + 5);
  properties[0] = PROPERTY.SESSION_EXPIRY_INTERVAL;
  properties.writeUInt32BE(options.sessionExpiryS, 1);
  properties[5] = PROPERTY.RECEIVE_MAXIMUM;
  properties.writeUInt16BE(options.receiveMaximum, 6);
  properties[8] = PROPERTY.MAXIMUM_PACKET_SIZE;
  properties.writeUInt32BE(options.maximumPacketSize, 9);
  const variable = Buffer.allocUnsafe(10);
  variable.writeUInt16BE(4, 0);
  variable.write('MQTT', 2, 'ascii');
  variable[6] = 5;
  variable[7] = 0x80 | 0x40; // user name, password; no clean start, no will
  variable.writeUInt16BE(options.keepaliveS, 8);
  return withFixedHeader(
    0x10,
    Buffer.concat([
      variable,
      Buffer.from([properties.length]),
      properties,
      utf8Field(options.clientId),
      utf8Field(options.username),
      utf8Field(options.password),
    ]),
  );
}

/** SUBSCRIBE to one filter at QoS 1 (no local, retain handling and as-published flags all 0). */
export function encodeSubscribe(packetId: number, filter: string): Buffer {
  const head = Buffer.allocUnsafe(3);
  head.writeUInt16BE(packetId, 0);
  head[2] = 0; // no properties
  return withFixedHeader(0x82, Buffer.concat([head, utf8Field(filter), Buffer.from([0x01])]));
}

/** DISCONNECT, normal; with a Session Expiry Interval of 0 when the session should end with it. */
export function encodeDisconnect(endSession: boolean): Buffer {
  if (!endSession) return Buffer.from([0xe0, 0x01, 0x00]);
  return Buffer.from([0xe0, 0x07, 0x00, 0x05, PROPERTY.SESSION_EXPIRY_INTERVAL, 0, 0, 0, 0]);
}

/** PUBACKs, success, for every packet id in `ids[0..count)`: one buffer, one socket write. */
export function encodePubacks(ids: Uint16Array, count: number): Buffer {
  const packets = Buffer.allocUnsafe(count * 4);
  for (let i = 0, at = 0; i < count; i++, at += 4) {
    const id = ids[i] as number;
    packets[at] = 0x40;
    packets[at + 1] = 0x02; // reason code omitted: success (MQTT 5 §3.4.2.1)
    packets[at + 2] = id >> 8;
    packets[at + 3] = id & 0xff;
  }
  return packets;
}

export interface Connack {
  readonly sessionPresent: boolean;
  readonly reasonCode: number;
}

export function parseConnack(data: Buffer, start: number, end: number): Connack {
  if (end - start < 2) throw new MalformedPacketError('CONNACK shorter than 2 bytes');
  return { sessionPresent: ((data[start] as number) & 1) === 1, reasonCode: data[start + 1] as number };
}

/** The reason codes of a SUBACK, one per filter of the SUBSCRIBE, after its properties. */
export function parseSuback(
  data: Buffer,
  start: number,
  end: number,
): { packetId: number; reasonCodes: number[] } {
  if (end - start < 3) throw new MalformedPacketError('SUBACK shorter than 3 bytes');
  const properties = readVarint(data, start + 2, end);
  if (properties === undefined || properties.next + properties.value > end)
    throw new MalformedPacketError('SUBACK properties cut short');
  return {
    packetId: data.readUInt16BE(start),
    reasonCodes: [...data.subarray(properties.next + properties.value, end)],
  };
}

export function parseDisconnectReason(data: Buffer, start: number, end: number): number {
  return end > start ? (data[start] as number) : 0;
}

/** A PUBLISH as the bridge needs it; the payload is a view into the received bytes. */
export interface InboundPublish {
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly packetId: number;
  readonly payload: Buffer;
}

/**
 * Decodes a PUBLISH body spanning [start, end) of `data`. Properties are skipped: the bridge
 * sets no Topic Alias Maximum, so the broker sends every topic in full.
 */
export function parsePublish(flags: number, data: Buffer, start: number, end: number): InboundPublish {
  const qos = (flags >> 1) & 0x03;
  if (qos === 3) throw new MalformedPacketError('PUBLISH with QoS 3');
  if (end - start < 2) throw new MalformedPacketError('PUBLISH without a topic');
  const topicEnd = start + 2 + data.readUInt16BE(start);
  if (topicEnd === start + 2)
    throw new MalformedPacketError('PUBLISH with an empty topic and no alias allowed');
  let at = topicEnd;
  let packetId = 0;
  if (qos > 0) {
    if (at + 2 > end) throw new MalformedPacketError('PUBLISH cut short before its packet id');
    packetId = data.readUInt16BE(at);
    at += 2;
  }
  const properties = readVarint(data, at, end);
  if (properties === undefined || properties.next + properties.value > end)
    throw new MalformedPacketError('PUBLISH properties cut short');
  return {
    topic: data.toString('utf8', start + 2, topicEnd),
    qos: qos as 0 | 1 | 2,
    retain: (flags & 1) === 1,
    packetId,
    payload: data.subarray(properties.next + properties.value, end),
  };
}
