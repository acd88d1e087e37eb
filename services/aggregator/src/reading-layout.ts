/**
 * The text layout the validator gives a reading on `telemetry.readings` (its `readingJson`, i.e.
 * `JSON.stringify` of a reading built in contract order):
 *
 *   {"deviceId":..,"tenant":..,"site":..,"domain":..,"metric":..,"kind":..,"unit":..,
 *    "value":N,"ts":N,"receivedAt":N,"dims":{..}[,"sourceSeq":N]}
 *
 * Everything up to `"value"`, and the dimensions, repeat in every reading of a series; only the
 * numbers change. Splitting a record into that repeated text and its numbers is several times
 * cheaper than `JSON.parse`, and lets the decoder recognise a series it already validated by its
 * text alone. The split is strict: any other layout is left to `JSON.parse`.
 */

const DEVICE = '{"deviceId":';
const TENANT = ',"tenant":';
const VALUE = ',"value":';
const TS = ',"ts":';
const RECEIVED_AT = ',"receivedAt":';
const DIMS = ',"dims":';
const SOURCE_SEQ = ',"sourceSeq":';
/** Integers of up to 15 digits are exact in a double and within every bound of the contract. */
const MAX_INT_DIGITS = 15;

/** One record's parts; reused from record to record, so splitting allocates little of its own. */
export class ReadingParts {
  /** The record's text, as last split. */
  text = '';
  /** The JSON text of the device id: the short key a decoder finds a series under. */
  device = '';
  /** End of the series text (deviceId to unit), i.e. where `,"value":` starts. */
  seriesEnd = 0;
  /** Bounds of the text of the `dims` object. */
  dimsStart = 0;
  dimsEnd = 0;
  value = 0;
  ts = 0;
  receivedAt = 0;
  sourceSeq: number | undefined = undefined;
  #at = 0;

  /** The text before `,"value":` (deviceId to unit). */
  get series(): string {
    return this.text.slice(0, this.seriesEnd);
  }

  /** The text of the `dims` object. */
  get dims(): string {
    return this.text.slice(this.dimsStart, this.dimsEnd);
  }

  /** True when the record's series text and dimensions text are exactly these. */
  hasText(series: string, dims: string): boolean {
    const { text } = this;
    return (
      this.seriesEnd === series.length &&
      this.dimsEnd - this.dimsStart === dims.length &&
      text.startsWith(series) &&
      text.startsWith(dims, this.dimsStart)
    );
  }

  /** Splits `text` into `this`; false when it does not have the layout, or a number is out of bounds. */
  split(text: string): boolean {
    if (!text.startsWith(DEVICE)) return false;
    const tenantAt = text.indexOf(TENANT, DEVICE.length);
    const valueAt = text.indexOf(VALUE, tenantAt);
    if (tenantAt < 0 || valueAt < 0) return false;
    this.#at = valueAt + VALUE.length;
    const value = this.#number(text);
    if (value === undefined || !this.#expect(text, TS)) return false;
    const ts = this.#integer(text);
    if (ts === undefined || !this.#expect(text, RECEIVED_AT)) return false;
    const receivedAt = this.#integer(text);
    if (receivedAt === undefined || !this.#expect(text, DIMS)) return false;
    const dimsAt = this.#at;
    const end = text.length - 1;
    if (text.charCodeAt(end) !== 0x7d /* } */) return false;
    // The dimensions are an object of strings: a raw `,"sourceSeq":` can only follow it.
    const seqAt = text.lastIndexOf(SOURCE_SEQ);
    let sourceSeq: number | undefined;
    let dimsEnd = end;
    if (seqAt > dimsAt) {
      this.#at = seqAt + SOURCE_SEQ.length;
      sourceSeq = this.#integer(text);
      if (sourceSeq === undefined || this.#at !== end) return false;
      dimsEnd = seqAt;
    }
    if (text.charCodeAt(dimsAt) !== 0x7b || text.charCodeAt(dimsEnd - 1) !== 0x7d) return false;
    this.text = text;
    this.device = text.slice(DEVICE.length, tenantAt);
    this.seriesEnd = valueAt;
    this.dimsStart = dimsAt;
    this.dimsEnd = dimsEnd;
    this.value = value;
    this.ts = ts;
    this.receivedAt = receivedAt;
    this.sourceSeq = sourceSeq;
    return true;
  }

  #expect(text: string, literal: string): boolean {
    if (!text.startsWith(literal, this.#at)) return false;
    this.#at += literal.length;
    return true;
  }

  /** A non-negative JSON integer without fraction or exponent, of at most 15 digits. */
  #integer(text: string): number | undefined {
    const start = this.#at;
    let at = start;
    let n = 0;
    for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at))
      n = n * 10 + (c - 0x30);
    const digits = at - start;
    if (digits === 0 || digits > MAX_INT_DIGITS || (digits > 1 && text.charCodeAt(start) === 0x30))
      return undefined;
    this.#at = at;
    return n;
  }

  /** A finite JSON number (RFC 8259 grammar), converted as JSON.parse does. */
  #number(text: string): number | undefined {
    const start = this.#at;
    let at = start;
    if (text.charCodeAt(at) === 0x2d /* - */) at++;
    const intStart = at;
    at = skipDigits(text, at);
    if (at === intStart || (at - intStart > 1 && text.charCodeAt(intStart) === 0x30)) return undefined;
    if (text.charCodeAt(at) === 0x2e /* . */) {
      const fraction = ++at;
      at = skipDigits(text, at);
      if (at === fraction) return undefined;
    }
    const e = text.charCodeAt(at);
    if (e === 0x65 || e === 0x45 /* e E */) {
      at++;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at++;
      const exponent = at;
      at = skipDigits(text, at);
      if (at === exponent) return undefined;
    }
    const value = Number(text.slice(start, at));
    if (!Number.isFinite(value)) return undefined;
    this.#at = at;
    return value;
  }
}

function skipDigits(text: string, from: number): number {
  let at = from;
  for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at));
  return at;
}

/** The repeated text of a reading with these series fields, as the validator writes it. */
export function seriesText(r: {
  deviceId: string;
  tenant: string;
  site: string;
  domain: string;
  metric: string;
  kind: string;
  unit: string;
}): string {
  const q = JSON.stringify;
  return (
    `{"deviceId":${q(r.deviceId)},"tenant":${q(r.tenant)},"site":${q(r.site)},"domain":${q(r.domain)}` +
    `,"metric":${q(r.metric)},"kind":${q(r.kind)},"unit":${q(r.unit)}`
  );
}
