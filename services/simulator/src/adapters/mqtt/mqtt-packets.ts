/**
 * The handful of MQTT 5 packets a publishing device needs (OASIS MQTT 5.0, chapter 3), encoded
 * and decoded by hand: CONNECT, CONNACK, PUBLISH at QoS 1, PUBACK, PINGREQ/PINGRESP, DISCONNECT.
 * No properties are sent; received properties are skipped except Receive Maximum.
 */

import { variableByteIntegerLength, writeVariableByteInteger } from '@terrapulse/service-kit';

export const PACKET = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
} as const;

export const PINGREQ = Buffer.from([0xc0, 0x00]);
/** DISCONNECT with reason 0 (normal), remaining length 0 as MQTT 5 allows. */
export const DISCONNECT = Buffer.from([0xe0, 0x00]);

const PROPERTY_RECEIVE_MAXIMUM = 0x21;

export function encodeConnect(options: {
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
}): Buffer {
  const clientId = Buffer.from(options.clientId, 'utf8');
  const username = Buffer.from(options.username, 'utf8');
  const password = Buffer.from(options.password, 'utf8');
  // Protocol name, level 5, flags, keep alive, empty properties.
  const variable = 2 + 4 + 1 + 1 + 2 + 1;
  const remaining = variable + 2 + clientId.length + 2 + username.length + 2 + password.length;
  const packet = Buffer.allocUnsafe(1 + variableByteIntegerLength(remaining) + remaining);
  packet[0] = 0x10;
  let at = writeVariableByteInteger(packet, 1, remaining);
  at = packet.writeUInt16BE(4, at);
  at += packet.write('MQTT', at, 'ascii');
  packet[at++] = 5;
  packet[at++] = 0x80 | 0x40 | 0x02; // username, password, clean start
  at = packet.writeUInt16BE(options.keepaliveS, at);
  packet[at++] = 0; // no properties
  for (const field of [clientId, username, password]) {
    at = packet.writeUInt16BE(field.length, at);
    at += field.copy(packet, at);
  }
  return packet;
}

/** PUBLISH at QoS 1, not retained; `dup` marks a resend after a reconnection. */
export function encodePublish(topic: Buffer, packetId: number, payload: string, dup: boolean): Buffer {
  const payloadLength = Buffer.byteLength(payload, 'utf8');
  const packet = Buffer.allocUnsafe(publishLength(topic.length, payloadLength));
  writePublish(packet, 0, topic, packetId, payload, payloadLength, dup);
  return packet;
}

/** Bytes of a PUBLISH at QoS 1 without properties, its payload taking `payloadLength` bytes. */
export function publishLength(topicLength: number, payloadLength: number): number {
  const remaining = 2 + topicLength + 2 + 1 + payloadLength;
  return 1 + variableByteIntegerLength(remaining) + remaining;
}

/**
 * Writes what encodePublish returns into `target` from `offset`, which must have
 * publishLength(...) bytes of room; `payloadLength` is the payload's UTF-8 byte length. Returns the
 * offset after the packet.
 */
export function writePublish(
  target: Buffer,
  offset: number,
  topic: Buffer,
  packetId: number,
  payload: string,
  payloadLength: number,
  dup: boolean,
): number {
  target[offset] = dup ? 0x3a : 0x32;
  let at = writeVariableByteInteger(target, offset + 1, 2 + topic.length + 2 + 1 + payloadLength);
  at = target.writeUInt16BE(topic.length, at);
  at += topic.copy(target, at);
  at = target.writeUInt16BE(packetId, at);
  target[at++] = 0;
  return at + target.write(payload, at, 'utf8');
}

/** Sets the DUP flag of an encoded PUBLISH, for its resend. */
export function markDuplicate(packet: Buffer): Buffer {
  packet[0] = (packet[0] ?? 0x32) | 0x08;
  return packet;
}

export interface Packet {
  readonly type: number;
  /** The low nibble of the first byte (DUP, QoS and RETAIN for a PUBLISH). */
  readonly flags: number;
  readonly body: Buffer;
}

/** Receives a packet in place: its type, the low nibble of its first byte, and its body's bytes. */
export type PacketVisitor = (type: number, flags: number, data: Buffer, start: number, end: number) => void;

/** Splits a byte stream into packets; keeps a partial packet until the rest arrives. */
export class PacketReader {
  private pending: Buffer | undefined;

  /** Every complete packet now available. @throws RangeError on a malformed length. */
  push(chunk: Buffer): Packet[] {
    const packets: Packet[] = [];
    this.visit(chunk, (type, flags, data, start, end) => {
      packets.push({ type, flags, body: data.subarray(start, end) });
    });
    return packets;
  }

  /**
   * Calls `visitor` for every complete packet now available, in order, without allocating per
   * packet: a device reads a PUBACK per publish. The bytes are only valid during the call. Only
   * `chunk[0, length)` is read, so a socket can pass the buffer it reuses for every read; the bytes
   * of a partial packet are copied out until the rest arrives.
   * @throws RangeError on a malformed length.
   */
  visit(chunk: Buffer, visitor: PacketVisitor, length = chunk.length): void {
    const pending = this.pending;
    const data = pending === undefined ? chunk : Buffer.concat([pending, chunk.subarray(0, length)]);
    const dataLength = pending === undefined ? length : data.length;
    let at = 0;
    while (at < dataLength) {
      let remaining = 0;
      let multiplier = 1;
      let cursor = at + 1;
      let complete = false;
      for (let i = 0; i < 4 && cursor < dataLength; i++) {
        const byte = data[cursor++] ?? 0;
        remaining += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
        if (i === 3) throw new RangeError('malformed MQTT remaining length');
      }
      if (!complete || cursor + remaining > dataLength) break;
      const first = data[at] ?? 0;
      at = cursor + remaining;
      visitor(first >> 4, first & 0x0f, data, cursor, at);
    }
    this.pending = at < dataLength ? Buffer.from(data.subarray(at, dataLength)) : undefined;
  }
}

function readVarint(body: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  let multiplier = 1;
  let at = offset;
  for (let i = 0; i < 4; i++) {
    const byte = body[at++] ?? 0;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) break;
    multiplier *= 128;
  }
  return { value, next: at };
}

export function parseConnack(body: Buffer): { reasonCode: number; receiveMaximum?: number } {
  const reasonCode = body[1] ?? 0x80;
  if (body.length < 3) return { reasonCode };
  const { value: length, next } = readVarint(body, 2);
  const end = Math.min(body.length, next + length);
  // Walk the properties for Receive Maximum; identifiers of other properties tell their size.
  for (let at = next; at < end; ) {
    const id = body[at++];
    if (id === PROPERTY_RECEIVE_MAXIMUM) return { reasonCode, receiveMaximum: body.readUInt16BE(at) };
    const size = propertySize(id ?? 0, body, at);
    if (size < 0) break;
    at += size;
  }
  return { reasonCode };
}

/** Byte size of a property value (MQTT 5 §2.2.2.2), -1 for an identifier this reader does not know. */
function propertySize(id: number, body: Buffer, at: number): number {
  if ([0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a].includes(id)) return 1;
  if ([0x13, 0x21, 0x22, 0x23].includes(id)) return 2;
  if ([0x02, 0x11, 0x18, 0x27].includes(id)) return 4;
  if (id === 0x0b) return readVarint(body, at).next - at;
  if ([0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1a, 0x1c, 0x1f].includes(id)) return 2 + body.readUInt16BE(at);
  if (id === 0x26) {
    const key = body.readUInt16BE(at);
    return 2 + key + 2 + body.readUInt16BE(at + 2 + key);
  }
  return -1;
}

/** PUBACK: packet id, and the reason code (0 = success, >= 0x80 = refused) when present. */
export function parsePuback(body: Buffer): { packetId: number; reasonCode: number } {
  return { packetId: pubackPacketId(body, 0), reasonCode: pubackReasonCode(body, 0, body.length) };
}

/** The packet id of a PUBACK whose body spans [start, end) of `data`. */
export function pubackPacketId(data: Buffer, start: number): number {
  return data.readUInt16BE(start);
}

/** The reason code of a PUBACK whose body spans [start, end) of `data`; absent means success. */
export function pubackReasonCode(data: Buffer, start: number, end: number): number {
  return end - start > 2 ? (data[start + 2] ?? 0) : 0;
}

export function parseDisconnect(body: Buffer): number {
  return body.length > 0 ? (body[0] ?? 0) : 0;
}
