import { murmur2 } from './murmur2.js';

/** Bound of the memo; a territory has thousands of devices, so it rarely starts over. */
const MAX_KEYS = 100_000;

export interface EncodedKey {
  /** The key's UTF-8 bytes, as written into the record. */
  readonly bytes: Buffer;
  /** murmur2 of the bytes made positive: the partition is this modulo the partition count. */
  readonly hash: number;
}

/**
 * Keys as bytes with their murmur2 hash, remembered: device ids repeat all day long, and the
 * partition of a key is `hash % partitions`, exactly kafkajs's DefaultPartitioner (and the Java
 * client's) for a keyed record, so a device's records stay on the partition they always had.
 */
export class KeyPartitioner {
  private readonly memo = new Map<string, EncodedKey>();

  encode(key: string): EncodedKey {
    let encoded = this.memo.get(key);
    if (encoded === undefined) {
      const bytes = Buffer.from(key);
      encoded = { bytes, hash: murmur2(bytes) & 0x7fffffff };
      if (this.memo.size >= MAX_KEYS) this.memo.clear();
      this.memo.set(key, encoded);
    }
    return encoded;
  }
}
