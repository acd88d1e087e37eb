/** Bytes of a slab: about 300 PUBLISHes of a reading each. */
const SLAB_BYTES = 64 * 1024;

/**
 * Packets carved one after the other from shared slabs. A device publishes a few packets per turn
 * of the event loop and sends them in one socket write: carved in a row, they are adjacent bytes
 * already, and joinPackets hands the socket a view over them where Buffer.concat copied them into
 * a fresh buffer (and Buffer.allocUnsafe spaced them out in its own pool). Bytes are never reused:
 * a slab lives as long as a packet carved from it (kept until its PUBACK, for a resend).
 */
export class PacketSlab {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private used = 0;

  /** `length` bytes for one packet, right after the previous packet while the slab has room. */
  take(length: number): Buffer {
    if (this.used + length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length));
      this.used = 0;
    }
    const start = this.used;
    this.used += length;
    return this.slab.subarray(start, this.used);
  }
}

/** The packets as one buffer, in order: a view when they are adjacent bytes of one slab, else a copy. */
export function joinPackets(packets: readonly Buffer[]): Buffer {
  const first = packets[0];
  if (first === undefined) return Buffer.alloc(0);
  if (packets.length === 1) return first;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < packets.length; i++) {
    const packet = packets[i] as Buffer;
    if (packet.buffer !== first.buffer || packet.byteOffset !== end) return Buffer.concat(packets);
    end += packet.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
