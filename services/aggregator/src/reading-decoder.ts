import { NormalizedReading } from '@terrapulse/contracts';

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
 * Never throws: a bad record is the caller's to count and skip.
 */
export class ReadingDecoder {
  #validated = new Set<string>();

  decode(value: Buffer | null): DecodedReading {
    if (value === null) return { ok: false, reason: 'record has no value' };
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
    return { ok: true, reading: parsed.data };
  }
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
