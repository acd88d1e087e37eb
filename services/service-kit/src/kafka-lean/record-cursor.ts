/** A decoded header name, with the value it came with last time. */
export interface KnownName {
  readonly bytes: Buffer;
  readonly name: string;
  last: { readonly bytes: Buffer; readonly text: string } | undefined;
  /**
   * Values of this name in a row that were new to the value cache. A name whose values never
   * repeat (a receive time) would only churn the cache: past CHURNING, its values are decoded
   * directly, and one in PROBE_EVERY still goes through the cache in case they start repeating.
   */
  fresh: number;
}

const CHURNING = 16;
const PROBE_EVERY = 64;

/** Decoded header names by byte length (up to 63), a few per length. */
const HEADER_NAMES: Array<KnownName[] | undefined> = new Array(64);
const NAMES_PER_LENGTH = 8;

/** Decoded header values by FNV-1a hash of their bytes; cleared when full. */
const HEADER_VALUES = new Map<number, { bytes: Buffer; text: string }>();
const MAX_CACHED_VALUES = 50_000;
const MAX_CACHED_VALUE_BYTES = 256;

export function sameBytes(buffer: Buffer, start: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (buffer[start + i] !== bytes[i]) return false;
  return true;
}

/** The known name of `length` bytes at `start`, or undefined when none is remembered. */
function findName(buffer: Buffer, start: number, length: number): KnownName | undefined {
  const candidates = HEADER_NAMES[length];
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (sameBytes(buffer, start, candidate.bytes)) return candidate;
  return undefined;
}

/** A new known name, remembered while its length has room (beyond that it is decoded each time). */
function rememberName(bytes: Buffer, name: string): KnownName {
  const known: KnownName = { bytes, name, last: undefined, fresh: 0 };
  const candidates = HEADER_NAMES[bytes.length];
  if (bytes.length < HEADER_NAMES.length && (candidates?.length ?? 0) < NAMES_PER_LENGTH) {
    const list = candidates ?? [];
    HEADER_NAMES[bytes.length] = list;
    list.push(known);
  }
  return known;
}

/** The known name for a header name a reader asks for by text: the same one the records decode to. */
export function knownNameOf(name: string): KnownName {
  const bytes = Buffer.from(name);
  return findName(bytes, 0, bytes.length) ?? rememberName(bytes, name);
}

/** A cursor over one fetched partition's bytes: varints read in place, keys and values as views. */
export class Cursor {
  at: number;

  constructor(
    public buffer: Buffer,
    at: number,
  ) {
    this.at = at;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.buffer[this.at++] as number;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    return (result >>> 1) ^ -(result & 1);
  }

  /** Timestamp deltas are varlongs; beyond 2^31 ms (24 days) within one batch they need the slow path. */
  varlong(): number {
    let result = 0;
    let multiplier = 1;
    let byte: number;
    do {
      byte = this.buffer[this.at++] as number;
      result += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    } while (byte & 0x80);
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  skip(): void {
    const length = this.varint();
    if (length > 0) this.at += length;
  }

  /**
   * A header value. Most repeat from record to record (a device's MQTT topic, the QoS, the
   * bridge id), so decoded values are kept: first the value that came last with the same name
   * (the QoS, the bridge id, the content type are the same in every record), a comparison; then
   * by a hash of their bytes: a hit costs a hash and a comparison instead of a native decode and
   * a new string. Values of a name that never repeat skip the cache (see KnownName.fresh).
   */
  headerValue(name: KnownName): string {
    const length = this.varint();
    if (length <= 0) return '';
    const start = this.at;
    const end = start + length;
    this.at = end;
    if (length > MAX_CACHED_VALUE_BYTES) return this.buffer.toString('utf8', start, end);
    const last = name.last;
    if (last !== undefined && last.bytes.length === length && sameBytes(this.buffer, start, last.bytes))
      return last.text;
    if (name.fresh >= CHURNING && name.fresh++ % PROBE_EVERY !== 0) {
      return this.buffer.toString('utf8', start, end);
    }
    const value = this.#cachedValue(start, end, name);
    name.last = value;
    return value.text;
  }

  #cachedValue(
    start: number,
    end: number,
    name: KnownName,
  ): { readonly bytes: Buffer; readonly text: string } {
    const length = end - start;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (this.buffer[i] as number), 0x01000193);
    // 30 bits: a small integer to V8, so no heap number is made to look it up.
    hash &= 0x3fffffff;
    const cached = HEADER_VALUES.get(hash);
    if (
      cached !== undefined &&
      cached.bytes.length === length &&
      sameBytes(this.buffer, start, cached.bytes)
    ) {
      name.fresh = 0;
      return cached;
    }
    name.fresh += 1;
    const value = {
      bytes: Buffer.from(this.buffer.subarray(start, end)),
      text: this.buffer.toString('utf8', start, end),
    };
    if (HEADER_VALUES.size >= MAX_CACHED_VALUES) HEADER_VALUES.clear();
    HEADER_VALUES.set(hash, value);
    return value;
  }

  /**
   * A header name: the same few names come in every record, so they are decoded once; an
   * unusual one (beyond 8 per length) is decoded each time, with no value remembered.
   */
  headerName(): KnownName {
    const length = this.varint();
    const start = this.at;
    this.at += length;
    return (
      findName(this.buffer, start, length) ??
      rememberName(
        Buffer.from(this.buffer.subarray(start, start + length)),
        this.buffer.toString('utf8', start, start + length),
      )
    );
  }
}
