import { NormalizedReading } from '@terrapulse/contracts';
import { seriesMetaOf } from './domain/index.js';
import { deviceHash, ReadingBytes } from './reading-bytes.js';
import { seriesText } from './reading-layout.js';

export type DecodedReading = { ok: true; reading: NormalizedReading } | { ok: false; reason: string };

/** Distinct identities remembered before starting over: bounded memory, whatever the input. */
const MAX_IDENTITIES = 100_000;

const FIELDS = NormalizedReading.shape;

/**
 * Records of `telemetry.readings` checked against the contract. The validator produced them
 * with the same schema, but a reading that slipped through (another producer, a contract
 * change rolled out in the wrong order) would otherwise become a series of its own, forever.
 *
 * The full contract costs about 5 µs a reading, more than the windows themselves. Yet a device
 * repeats the same identity (device, tenant, site, domain, metric, kind, unit, dimensions) in
 * every reading, and the contract's cross-field checks only involve those. So the whole schema
 * runs on the first reading of each identity, and later readings of a validated identity only
 * have their own fields checked, with the contract's field schemas. The reading is then the
 * parsed JSON itself, unknown keys included, which the aggregator ignores.
 *
 * Cheaper still, for records in the validator's own layout (see reading-layout.ts): once a
 * series validated in full from a record of that layout, later records that hold the same series
 * and dimensions bytes are matched on their bytes (reading-bytes.ts), with no string made of them
 * and no `JSON.parse`; only their numbers are read, and only numbers the contract accepts. Any
 * other record (another series, another layout, invalid UTF-8) takes the path above.
 *
 * A record of a known series decodes into that series' own result object, updated in place (a
 * reading allocates nothing of its own): read it before the next `decode`, keep none of it.
 *
 * Never throws: a bad record is the caller's to count and skip.
 */
export class ReadingDecoder {
  #validated = new Set<string>();
  /** Series validated from a record of the validator's layout, by deviceHash of their records. */
  #known = new Map<number, KnownSeries[]>();
  #knownCount = 0;
  readonly #bytes: ReadingBytes | undefined;

  /**
   * `matchBytes: false` decodes every record with `JSON.parse` and the contract, the path a record
   * whose bytes match no known series takes: what the byte match is tested against. Default true.
   */
  constructor(options: { matchBytes?: boolean } = {}) {
    this.#bytes = options.matchBytes === false ? undefined : new ReadingBytes();
  }

  decode(value: Buffer | null): DecodedReading {
    if (value === null) return { ok: false, reason: 'record has no value' };
    const bytes = this.#bytes;
    const hit = bytes === undefined ? undefined : this.#knownFromBytes(value, bytes);
    if (hit !== undefined) return hit;
    let json: unknown;
    try {
      json = JSON.parse(value.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
    const identity = identityOf(json);
    if (
      identity !== undefined &&
      this.#validated.has(identity) &&
      ownFieldsValid(json as Record<string, unknown>)
    ) {
      return { ok: true, reading: json as NormalizedReading };
    }
    const parsed = NormalizedReading.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      return { ok: false, reason: `not a NormalizedReading: ${issues.join('; ')}` };
    }
    if (identity !== undefined) {
      if (this.#validated.size >= MAX_IDENTITIES) this.#validated = new Set();
      this.#validated.add(identity);
    }
    if (bytes !== undefined) this.#remember(parsed.data, value, bytes);
    return { ok: true, reading: parsed.data };
  }

  /** The result of a record of a known series, read from its bytes; undefined for any other. */
  #knownFromBytes(value: Buffer, bytes: ReadingBytes): { ok: true; reading: NormalizedReading } | undefined {
    const hash = deviceHash(value);
    const known = hash < 0 ? undefined : this.#known.get(hash);
    if (known === undefined) return undefined;
    for (const series of known) {
      if (bytes.splitAs(value, series.seriesBytes, series.dimsBytes)) return resultOf(series, bytes);
    }
    return undefined;
  }

  /**
   * Remembers a series validated from `value` when the record is exactly its validator layout, so
   * that the byte match takes its next records.
   */
  #remember(reading: NormalizedReading, value: Buffer, bytes: ReadingBytes): void {
    const seriesBytes = Buffer.from(seriesText(reading));
    const dimsBytes = Buffer.from(JSON.stringify(reading.dims));
    if (!bytes.splitAs(value, seriesBytes, dimsBytes)) return;
    if (this.#knownCount >= MAX_IDENTITIES) {
      this.#known = new Map();
      this.#knownCount = 0;
    }
    const series: KnownSeries = {
      seriesBytes,
      dimsBytes,
      meta: seriesMetaOf(reading),
      withSeq: undefined,
      withoutSeq: undefined,
    };
    const hash = deviceHash(value);
    let list = this.#known.get(hash);
    if (list === undefined) {
      list = [];
      this.#known.set(hash, list);
    }
    list.push(series);
    this.#knownCount++;
  }
}

/** A validated series, with the bytes its records have in the validator's layout. */
interface KnownSeries {
  /** The series text (deviceId to unit) and the dimensions text, in UTF-8, as a record holds them. */
  readonly seriesBytes: Buffer;
  readonly dimsBytes: Buffer;
  readonly meta: Omit<NormalizedReading, 'value' | 'ts' | 'receivedAt' | 'sourceSeq'>;
  /** Its result for records with a `sourceSeq`, and for those without: reused record after record. */
  withSeq: { ok: true; reading: NormalizedReading } | undefined;
  withoutSeq: { ok: true; reading: NormalizedReading } | undefined;
}

/** The numbers of a record, as split from its bytes. */
type RecordNumbers = Pick<ReadingBytes, 'value' | 'ts' | 'receivedAt' | 'sourceSeq'>;

/**
 * The reading JSON.parse would give for a record of a known series (same keys, same order), in
 * the series' result object for records with or without a `sourceSeq`.
 */
function resultOf(known: KnownSeries, parts: RecordNumbers): { ok: true; reading: NormalizedReading } {
  const { value, ts, receivedAt, sourceSeq } = parts;
  if (sourceSeq === undefined) {
    known.withoutSeq ??= { ok: true, reading: readingOf(known, parts) };
    const reading = known.withoutSeq.reading;
    reading.value = value;
    reading.ts = ts;
    reading.receivedAt = receivedAt;
    return known.withoutSeq;
  }
  known.withSeq ??= { ok: true, reading: readingOf(known, parts) };
  const reading = known.withSeq.reading;
  reading.value = value;
  reading.ts = ts;
  reading.receivedAt = receivedAt;
  reading.sourceSeq = sourceSeq;
  return known.withSeq;
}

function readingOf(known: KnownSeries, parts: RecordNumbers): NormalizedReading {
  const { deviceId, tenant, site, domain, metric, kind, unit, dims } = known.meta;
  const { value, ts, receivedAt, sourceSeq } = parts;
  return sourceSeq === undefined
    ? { deviceId, tenant, site, domain, metric, kind, unit, value, ts, receivedAt, dims }
    : { deviceId, tenant, site, domain, metric, kind, unit, value, ts, receivedAt, dims, sourceSeq };
}

/** The fields every reading of a series repeats, as one string; undefined when any is not text. */
function identityOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const r = json as Record<string, unknown>;
  const { deviceId, tenant, site, domain, metric, kind, unit, dims } = r;
  if (
    typeof deviceId !== 'string' ||
    typeof tenant !== 'string' ||
    typeof site !== 'string' ||
    typeof domain !== 'string' ||
    typeof metric !== 'string' ||
    typeof kind !== 'string' ||
    typeof unit !== 'string' ||
    typeof dims !== 'object' ||
    dims === null
  ) {
    return undefined;
  }
  // Every part is length-prefixed, so no content (a newline in a dimension value, an invalid
  // id) can make two different identities spell the same string.
  let identity = `${part(deviceId)}${part(tenant)}${part(site)}${part(domain)}${part(metric)}${part(kind)}${part(unit)}`;
  for (const [name, text] of Object.entries(dims)) {
    if (typeof text !== 'string') return undefined;
    identity += `${part(name)}${part(text)}`;
  }
  return identity;
}

function part(text: string): string {
  return `${text.length}:${text}`;
}

/** The fields that change from one reading of a series to the next, by the contract's own schemas. */
function ownFieldsValid(r: Record<string, unknown>): boolean {
  return (
    FIELDS.value.safeParse(r.value).success &&
    FIELDS.ts.safeParse(r.ts).success &&
    FIELDS.receivedAt.safeParse(r.receivedAt).success &&
    FIELDS.sourceSeq.safeParse(r.sourceSeq).success
  );
}
