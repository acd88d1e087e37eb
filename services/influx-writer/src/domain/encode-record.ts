import { decodeAggregate, decodeReading, decodeRejection, parseJsonObject } from './decode-record.js';
import {
  aggregateLine,
  type LineResult,
  type MeasurementKind,
  type MeasurementNames,
  readingLine,
  rejectionLine,
} from './line-protocol.js';

/** The Kafka streams the writer stores, each with its own record contract. */
export const STREAMS = ['readings', 'aggregates', 'rejections'] as const;
export type Stream = (typeof STREAMS)[number];

/**
 * Why a record was not stored. Every cause is a property of the record itself, so retrying would
 * give the same answer: the record is counted, logged and its offset committed.
 * - empty: no value (a tombstone);
 * - malformed_json: not a JSON object;
 * - invalid_record: JSON without the fields, or field types, of the stream's contract;
 * - unrepresentable: valid, but line protocol cannot store it faithfully (a backslash in a tag,
 *   a dimension named like a tag, a time past 2262);
 * - rejected_by_influxdb: InfluxDB refused the point itself (400), e.g. a field type conflict or
 *   a time outside the retention policy.
 */
export const SKIP_CAUSES = [
  'empty',
  'malformed_json',
  'invalid_record',
  'unrepresentable',
  'rejected_by_influxdb',
] as const;
export type SkipCause = (typeof SKIP_CAUSES)[number];

export type EncodeResult =
  | { readonly ok: true; readonly line: string; readonly measurement: MeasurementKind }
  | { readonly ok: false; readonly cause: SkipCause; readonly detail: string };

/** The stream a measurement's points come from, to count skipped points by stream. */
export const STREAM_OF: Readonly<Record<MeasurementKind, Stream>> = Object.freeze({
  reading: 'readings',
  aggregate_15m: 'aggregates',
  aggregate_1h: 'aggregates',
  aggregate_1d: 'aggregates',
  rejection: 'rejections',
});

/** A Kafka record value (UTF-8 JSON text) -> one line of line protocol, or why it is skipped. */
export function encodeRecord(stream: Stream, text: string | null, names: MeasurementNames): EncodeResult {
  if (text === null || text.length === 0) return { ok: false, cause: 'empty', detail: 'record has no value' };
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return { ok: false, cause: 'malformed_json', detail: parsed.problem };
  let line: LineResult;
  switch (stream) {
    case 'readings': {
      const reading = decodeReading(parsed.value);
      if (!reading.ok) return { ok: false, cause: 'invalid_record', detail: reading.problem };
      line = readingLine(reading.value, names);
      break;
    }
    case 'aggregates': {
      const aggregate = decodeAggregate(parsed.value);
      if (!aggregate.ok) return { ok: false, cause: 'invalid_record', detail: aggregate.problem };
      line = aggregateLine(aggregate.value, names);
      break;
    }
    case 'rejections': {
      const rejection = decodeRejection(parsed.value);
      if (!rejection.ok) return { ok: false, cause: 'invalid_record', detail: rejection.problem };
      line = rejectionLine(rejection.value, names);
      break;
    }
  }
  return line.ok ? line : { ok: false, cause: 'unrepresentable', detail: line.problem };
}
