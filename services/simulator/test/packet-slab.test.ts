import { describe, expect, it } from 'vitest';
import { joinPackets, PacketSlab } from '../src/adapters/mqtt/packet-slab.js';

describe('packet slab', () => {
  it('should carve packets one after the other, so joining them makes a view, not a copy', () => {
    const slab = new PacketSlab();
    const packets = [slab.take(3), slab.take(5), slab.take(2)];
    for (const [i, p] of packets.entries()) p.fill(i + 1);
    const joined = joinPackets(packets);
    expect([...joined]).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 3, 3]);
    expect(joined.buffer).toBe(packets[0]?.buffer);
  });

  it('should copy packets that are not adjacent, in the order given', () => {
    const slab = new PacketSlab();
    const a = slab.take(2).fill(1);
    const b = slab.take(2).fill(2);
    const c = slab.take(2).fill(3);
    expect([...joinPackets([a, c])]).toEqual([1, 1, 3, 3]);
    expect([...joinPackets([b, a])]).toEqual([2, 2, 1, 1]);
    expect([...joinPackets([a, Buffer.from([9]), b])]).toEqual([1, 1, 9, 2, 2]);
  });

  it('should start a new slab when a packet does not fit, without touching earlier packets', () => {
    const slab = new PacketSlab();
    const first = slab.take(60 * 1024).fill(7);
    const second = slab.take(8 * 1024).fill(8);
    const big = slab.take(100 * 1024);
    expect(second.buffer).not.toBe(first.buffer);
    expect(big).toHaveLength(100 * 1024);
    expect(first.every((b) => b === 7)).toBe(true);
    expect([...joinPackets([first.subarray(0, 1), second.subarray(0, 1)])]).toEqual([7, 8]);
  });

  it('should hand back a single packet as it is', () => {
    const packet = new PacketSlab().take(4);
    expect(joinPackets([packet])).toBe(packet);
  });
});
