import { createRequire } from 'node:module';

/**
 * CRC-32C (Castagnoli), the checksum of Kafka record batches. @node-rs/crc32 computes it with the
 * CPU's CRC32 instruction: in the bridge the portable version below was 16 % of the CPU, once
 * every other cost had been cut. Where no prebuilt binary exists for the platform, the portable
 * version, sliced by 8 (eight table lookups per 8 input bytes), takes over.
 */
type Crc32c = (input: Uint8Array) => number;

function loadNative(): Crc32c | undefined {
  try {
    const native = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: Crc32c };
    return typeof native.crc32c === 'function' ? native.crc32c : undefined;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** CRC-32C of bytes [start, end) of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  if (native === undefined) return crc32cPortable(data, start, end);
  return native(start === 0 && end === data.length ? data : data.subarray(start, end)) >>> 0;
}

/** Whether the hardware-accelerated CRC-32C is in use (for the logs and the bench). */
export const crc32cIsNative = native !== undefined;

const POLYNOMIAL = 0x82f63b78;

const TABLES: Int32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const [first] = tables;
  if (first === undefined) throw new Error('unreachable');
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    first[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = first[n] ?? 0;
    for (let t = 1; t < 8; t++) {
      c = (first[c & 0xff] ?? 0) ^ (c >>> 8);
      const table = tables[t];
      if (table !== undefined) table[n] = c;
    }
  }
  return tables;
})();

const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

/** The portable CRC-32C of bytes [start, end) of `data`, as an unsigned 32-bit integer. */
export function crc32cPortable(data: Uint8Array, start = 0, end = data.length): number {
  let crc = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a =
      crc ^
      ((data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24));
    crc =
      (T7[a & 0xff] as number) ^
      (T6[(a >>> 8) & 0xff] as number) ^
      (T5[(a >>> 16) & 0xff] as number) ^
      (T4[a >>> 24] as number) ^
      (T3[data[i + 4] as number] as number) ^
      (T2[data[i + 5] as number] as number) ^
      (T1[data[i + 6] as number] as number) ^
      (T0[data[i + 7] as number] as number);
  }
  for (; i < end; i++) crc = (T0[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
