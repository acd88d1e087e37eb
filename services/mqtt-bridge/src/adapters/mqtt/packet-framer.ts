import { readVarint } from './subscriber-packets.js';

/** Receives one packet in place: its type, the low nibble of its first byte, its body's bytes. */
export type PacketHandler = (type: number, flags: number, data: Buffer, start: number, end: number) => void;

/**
 * Cuts a connection's byte stream into MQTT packets, and can stop between two packets: when the
 * bridge cannot take more messages, what was read and not handled waits here (and the socket is
 * paused) instead of being handed over.
 */
export class PacketFramer {
  private data: Buffer | undefined;
  private at = 0;

  push(chunk: Buffer): void {
    if (this.data === undefined || this.at >= this.data.length) {
      this.data = chunk;
    } else {
      // The rest of a packet cut by the previous chunk: the views already handed over keep the
      // old bytes alive on their own.
      this.data = Buffer.concat([this.data.subarray(this.at), chunk]);
    }
    this.at = 0;
  }

  /**
   * Hands complete packets over, in order, while `more()` says so.
   * @throws MalformedPacketError on a length no MQTT packet can have.
   */
  drain(handle: PacketHandler, more: () => boolean): void {
    const data = this.data;
    if (data === undefined) return;
    while (this.at < data.length && more()) {
      const length = readVarint(data, this.at + 1, data.length);
      if (length === undefined || length.next + length.value > data.length) return;
      const first = data[this.at] as number;
      this.at = length.next + length.value;
      handle(first >> 4, first & 0x0f, data, length.next, this.at);
      // The handler closed the connection: what is left belongs to no one.
      if (this.data !== data) return;
    }
    if (this.at >= data.length) this.clear();
  }

  clear(): void {
    this.data = undefined;
    this.at = 0;
  }
}
