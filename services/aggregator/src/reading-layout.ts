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

// The layout's keys, with the bytes around them; also read from bytes (reading-bytes.ts).
export const DEVICE = '{"deviceId":';
const TENANT = ',"tenant":';
export const VALUE = ',"value":';
export const TS = ',"ts":';
export const RECEIVED_AT = ',"receivedAt":';
export const DIMS = ',"dims":';
export const SOURCE_SEQ = ',"sourceSeq":';
/** Integers of up to 15 digits are exact in a double and within every bound of the contract. */
export const MAX_INT_DIGITS = 15;

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

  /**
   * True when the record's series text and dimensions text are exactly these. Compared as slices:
   * `startsWith` goes code unit by code unit, about ten times slower over a series text.
   */
  hasText(series: string, dims: string): boolean {
    const { text } = this;
    return (
      this.seriesEnd === series.length &&
      this.dimsEnd - this.dimsStart === dims.length &&
      text.slice(0, this.seriesEnd) === series &&
      text.slice(this.dimsStart, this.dimsEnd) === dims
    );
  }

  /**
   * `split(text) && hasText(series, dims)` for a series validated before, without searching the
   * text for its keys: everything but the numbers is where that series puts it. (A series whose
   * dimensions hold a `"sourceSeq"` key is the one case `split` leaves to JSON.parse and this
   * accepts, with the same numbers, which JSON.parse would give too.) Leaves `device` as it was.
   */
  splitAs(text: string, series: string, dims: string): boolean {
    const valueAt = series.length;
    // The key after the series text first: it tells most of a device's other series apart cheaply.
    if (!hasAt(text, valueAt, VALUE) || text.slice(0, valueAt) !== series) return false;
    if (!this.#numbers(text, valueAt + VALUE.length)) return false;
    const dimsAt = this.#at;
    const dimsEnd = dimsAt + dims.length;
    if (text.slice(dimsAt, dimsEnd) !== dims) return false;
    const end = text.length - 1;
    if (text.charCodeAt(end) !== 0x7d /* } */) return false;
    let sourceSeq: number | undefined;
    if (dimsEnd !== end) {
      this.#at = dimsEnd;
      if (!this.#expect(text, SOURCE_SEQ)) return false;
      sourceSeq = this.#integer(text);
      if (sourceSeq === undefined || this.#at !== end) return false;
    }
    this.text = text;
    this.seriesEnd = valueAt;
    this.dimsStart = dimsAt;
    this.dimsEnd = dimsEnd;
    this.sourceSeq = sourceSeq;
    return true;
  }

  /** Splits `text` into `this`; false when it does not have the layout, or a number is out of bounds. */
  split(text: string): boolean {
    if (!hasAt(text, 0, DEVICE)) return false;
    const tenantAt = text.indexOf(TENANT, DEVICE.length);
    const valueAt = text.indexOf(VALUE, tenantAt);
    if (tenantAt < 0 || valueAt < 0) return false;
    if (!this.#numbers(text, valueAt + VALUE.length)) return false;
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
    this.sourceSeq = sourceSeq;
    return true;
  }

  /**
   * Reads `V,"ts":T,"receivedAt":R,"dims":` from `at` into value, ts and receivedAt, and leaves
   * the cursor on the dims; false when the text differs (the parts are then not a record's).
   */
  #numbers(text: string, at: number): boolean {
    this.#at = at;
    const value = this.#number(text);
    if (value === undefined || !this.#expect(text, TS)) return false;
    const ts = this.#integer(text);
    if (ts === undefined || !this.#expect(text, RECEIVED_AT)) return false;
    const receivedAt = this.#integer(text);
    if (receivedAt === undefined || !this.#expect(text, DIMS)) return false;
    this.value = value;
    this.ts = ts;
    this.receivedAt = receivedAt;
    return true;
  }

  #expect(text: string, literal: string): boolean {
    if (!hasAt(text, this.#at, literal)) return false;
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

  /**
   * A finite JSON number (RFC 8259 grammar), converted as JSON.parse does. Digits are read as
   * they are checked: with at most 15 significant digits and a power of ten within 22, the
   * decimal is one product or quotient of two exact doubles, which IEEE rounds correctly, so it
   * is the double JSON.parse gives (Clinger's fast path); other numbers go through `Number()`.
   */
  #number(text: string): number | undefined {
    const start = this.#at;
    let at = start;
    const negative = text.charCodeAt(at) === 0x2d; /* - */
    if (negative) at++;
    const intStart = at;
    let mantissa = 0;
    for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at))
      mantissa = mantissa * 10 + (c - 0x30);
    const intDigits = at - intStart;
    if (intDigits === 0 || (intDigits > 1 && text.charCodeAt(intStart) === 0x30)) return undefined;
    let fractionDigits = 0;
    if (text.charCodeAt(at) === 0x2e /* . */) {
      const fraction = ++at;
      for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at))
        mantissa = mantissa * 10 + (c - 0x30);
      fractionDigits = at - fraction;
      if (fractionDigits === 0) return undefined;
    }
    let exponent = 0;
    let exponentDigits = 0;
    const e = text.charCodeAt(at);
    if (e === 0x65 || e === 0x45 /* e E */) {
      at++;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at++;
      const digitsStart = at;
      for (let c = text.charCodeAt(at); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++at))
        exponent = exponent * 10 + (c - 0x30);
      exponentDigits = at - digitsStart;
      if (exponentDigits === 0) return undefined;
      if (sign === 0x2d) exponent = -exponent;
    }
    const power = exponent - fractionDigits;
    let value: number;
    if (intDigits + fractionDigits <= 15 && exponentDigits <= 3 && power >= -22 && power <= 22) {
      const magnitude =
        power < 0 ? mantissa / (POW10[-power] as number) : mantissa * (POW10[power] as number);
      value = negative ? -magnitude : magnitude;
    } else {
      value = Number(text.slice(start, at));
    }
    if (!Number.isFinite(value)) return undefined;
    this.#at = at;
    return value;
  }
}

/** The JSON text of the device id of a record in the validator layout, or undefined. */
export function deviceText(text: string): string | undefined {
  if (!hasAt(text, 0, DEVICE)) return undefined;
  const tenantAt = text.indexOf(TENANT, DEVICE.length);
  return tenantAt < 0 ? undefined : text.slice(DEVICE.length, tenantAt);
}

/** `text.startsWith(literal, at)`, code unit by code unit: cheaper for the short literals here. */
function hasAt(text: string, at: number, literal: string): boolean {
  for (let i = 0; i < literal.length; i++)
    if (text.charCodeAt(at + i) !== literal.charCodeAt(i)) return false;
  return true;
}

/** 1e0 to 1e22: the powers of ten a double holds exactly. */
export const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

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
