import { compactLine } from './compact-line.js';
import { type EncodeResult, encodeRecord, type Stream } from './encode-record.js';
import type { MeasurementNames } from './line-protocol.js';
import { SeriesTagCache } from './series-tag-cache.js';

/**
 * encodeRecord for a stream of records: the same results, cheaper. Readings and aggregates as
 * the pipeline writes them take the compact path (compact-line.ts) with the series tag sets
 * remembered; everything else, and every record that path cannot vouch for, the general one.
 */
export class RecordEncoder {
  readonly #names: MeasurementNames;
  readonly #tags: SeriesTagCache;

  constructor(names: MeasurementNames, tags: SeriesTagCache = new SeriesTagCache()) {
    this.#names = names;
    this.#tags = tags;
  }

  /** A Kafka record value (UTF-8 JSON) -> one line of line protocol, or why it is skipped. */
  encode(stream: Stream, value: Buffer | null): EncodeResult {
    if (value === null) return encodeRecord(stream, null, this.#names);
    const text = value.toString();
    if (stream !== 'rejections') {
      const line = compactLine(stream, text, this.#names, this.#tags);
      if (line !== undefined) return line;
    }
    return encodeRecord(stream, text, this.#names);
  }
}
