import { type MeasurementBytes, measurementBytes, writeCompactLine } from './compact-line.js';
import { type EncodeResult, encodeRecord, type Stream } from './encode-record.js';
import type { MeasurementNames } from './line-protocol.js';
import { type LineWriter, OneLine } from './line-writer.js';
import { SeriesTagCache } from './series-tag-cache.js';

/** Why a record was not stored (the failure of an EncodeResult). */
export type Skip = Extract<EncodeResult, { ok: false }>;

/**
 * encodeRecord for a stream of records: the same results, cheaper. Readings and aggregates as
 * the pipeline writes them take the compact path (compact-line.ts) with the series tag sets
 * remembered; everything else, and every record that path cannot vouch for, the general one.
 */
export class RecordEncoder {
  readonly #names: MeasurementNames;
  readonly #bytes: MeasurementBytes;
  readonly #tags: SeriesTagCache;
  readonly #one = new OneLine();

  constructor(names: MeasurementNames, tags: SeriesTagCache = new SeriesTagCache()) {
    this.#names = names;
    this.#bytes = measurementBytes(names);
    this.#tags = tags;
  }

  /** A Kafka record value (UTF-8 JSON) -> one line of line protocol, or why it is skipped. */
  encode(stream: Stream, value: Buffer | null): EncodeResult {
    const skip = this.encodeInto(stream, value, this.#one);
    return skip ?? { ok: true, line: this.#one.line, measurement: this.#one.measurement };
  }

  /**
   * encode, the line appended to `lines` (written there in place on the compact path): undefined
   * once it is, or why the record is skipped.
   */
  encodeInto(stream: Stream, value: Buffer | null, lines: LineWriter): Skip | undefined {
    if (
      value !== null &&
      stream !== 'rejections' &&
      writeCompactLine(stream, value, this.#bytes, this.#tags, lines) !== undefined
    ) {
      return undefined;
    }
    const encoded = encodeRecord(stream, value === null ? null : value.toString(), this.#names);
    if (!encoded.ok) return encoded;
    lines.add(encoded.line, encoded.measurement);
    return undefined;
  }
}
