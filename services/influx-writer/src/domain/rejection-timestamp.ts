/**
 * Timestamp of a rejection point. Rejections are counted with `SUM("count")`, so two of them must
 * never share a point (same device, reason and timestamp), yet the same rejection delivered twice
 * must land on the same point.
 *
 * The base is the bridge's `receivedAt` (ms). The nanoseconds below it hold a discriminator in
 * [0, 1e6) hashed from the rejection's identity: its `source` position in telemetry.raw plus what
 * tells apart the several readings one message can have refused (reason, detail, issues). The
 * position in telemetry.rejected itself would be simpler but is not stable: a validator that
 * restarts before committing re-publishes the same dead letters at new offsets, and they would be
 * counted twice. Two distinct rejections of one device and reason collide only when they share
 * the millisecond AND the hash modulo 1e6 (about one chance in a million per such pair).
 */

export interface RejectionIdentity {
  readonly receivedAt: number;
  readonly reason: string;
  readonly detail: string;
  readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }> | undefined;
  readonly source: { readonly partition: number; readonly offset: string };
}

const SLOTS_PER_MS = 1_000_000;

export function rejectionTimestampNs(r: RejectionIdentity): string {
  let key = `${r.source.partition}:${r.source.offset}\u0000${r.reason}\u0000${r.detail}`;
  for (const issue of r.issues ?? []) key += `\u0000${issue.path}\u0000${issue.message}`;
  const discriminator = fnv1a32(key) % SLOTS_PER_MS;
  return `${r.receivedAt}${String(discriminator).padStart(6, '0')}`;
}

/** FNV-1a, 32 bits, over UTF-16 code units: tiny, fast, and the same on every platform. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
