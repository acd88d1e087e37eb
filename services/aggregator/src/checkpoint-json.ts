/**
 * The bytes of a version 2 checkpoint record written straight from the snapshot, byte for byte
 * what the reference path of checkpoint-codec.ts writes (`JSON.stringify` of the record with
 * `toV2(snapshot)`, then `Buffer.from`), without its three copies: the snapshot rebuilt with
 * differences, the JSON string, its UTF-8 bytes. A checkpoint holds every open window's readings
 * and is written every few seconds per partition: those copies were about a quarter of the bytes
 * the aggregator allocated.
 *
 * The walk is the one toV2 and JSON.stringify make: each object's own enumerable keys in their
 * order (`Object.keys`, what a spread copies and what JSON.stringify writes), `undefined` left out
 * of objects and `null` in arrays, a window's timestamps as differences when they are all safe
 * integers. A value whose text JSON.stringify would take from elsewhere (a `toJSON`, a class
 * instance, a boxed primitive), a function, a symbol, a bigint or a nesting deeper than a
 * checkpoint's (a cycle) is not written here: the caller then takes the reference path, which
 * writes, or throws, what it always did.
 */

import { MAX_JSON_NUMBER_BYTES, writeJsonNumber } from '@terrapulse/service-kit';
import type { WindowSnapshot } from './domain/index.js';
import { JsonBytes } from './json-bytes.js';
import type { PartitionCheckpoint } from './ports/checkpoint-store.js';

/** The key that toV2 replaces at each level (snapshot, series, lane) with the next level's list. */
const NESTED = ['series', 'lanes', 'open'] as const;
/** Far deeper than a checkpoint's values (dims, a carry) go: beyond, a cycle is likelier. */
const MAX_DEPTH = 32;

const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Thrown inside the walk when a value is not plain JSON data; caught by `checkpointJson`. */
class NotPlainData {}
const NOT_PLAIN = new NotPlainData();

/** Where checkpoints are written before their exact-size copy: encoding is synchronous, so one serves all. */
const scratch = new JsonBytes(256 * 1024);

/**
 * `Buffer.from(JSON.stringify({ v: 2, topic, partition, offset, writtenAt, snapshot: toV2(snapshot) }))`,
 * or undefined when the checkpoint holds a value this writer leaves to JSON.stringify.
 */
export function checkpointJson(topic: string, checkpoint: PartitionCheckpoint): Buffer | undefined {
  scratch.reset();
  try {
    writeRecord(scratch, topic, checkpoint);
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
  return Buffer.from(scratch.buffer.subarray(0, scratch.at));
}

function writeRecord(out: JsonBytes, topic: string, checkpoint: PartitionCheckpoint): void {
  const { partition, offset, writtenAt, snapshot } = checkpoint;
  out.ascii('{"v":2');
  writeMember(out, 'topic', topic, 0);
  writeMember(out, 'partition', partition, 0);
  writeMember(out, 'offset', offset, 0);
  writeMember(out, 'writtenAt', writtenAt, 0);
  out.ascii(',"snapshot":');
  writeLevel(out, snapshot, 0);
  out.byte(CLOSE_OBJECT);
}

/** `{ ...object, [NESTED[level]]: its list rewritten }`, as toV2 builds it at `level`. */
function writeLevel(out: JsonBytes, object: unknown, level: number): void {
  if (typeof object !== 'object' || object === null || 'toJSON' in object) throw NOT_PLAIN;
  const nested = NESTED[level];
  const fields = object as Record<string, unknown>;
  let found = false;
  out.byte(OPEN_OBJECT);
  for (const key of Object.keys(fields)) {
    if (key !== nested) {
      writeMember(out, key, fields[key], 0);
      continue;
    }
    // A spread keeps the replaced key where it was; toV2 would add a missing one last.
    found = true;
    writeKey(out, key);
    writeList(out, fields[key], level + 1);
  }
  if (!found) throw NOT_PLAIN;
  out.byte(CLOSE_OBJECT);
}

/** The `.map` of a level's list: series, lanes, then windows. */
function writeList(out: JsonBytes, items: unknown, level: number): void {
  if (!isPlainArray(items)) throw NOT_PLAIN;
  out.byte(OPEN_ARRAY);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.byte(COMMA);
    if (level < NESTED.length) writeLevel(out, items[i], level);
    else writeWindow(out, items[i]);
  }
  out.byte(CLOSE_ARRAY);
}

/** A window as toV2 rebuilds it: these six keys in this order, `dts` for safe-integer timestamps. */
function writeWindow(out: JsonBytes, window: unknown): void {
  if (typeof window !== 'object' || window === null) throw NOT_PLAIN;
  const { start, end, ts, values, duplicates, conflicts } = window as WindowSnapshot;
  if (!isPlainArray(ts)) throw NOT_PLAIN;
  out.byte(OPEN_OBJECT);
  writeMember(out, 'start', start, 0);
  writeMember(out, 'end', end, 0);
  const mark = out.at;
  writeKey(out, 'dts');
  if (!writeDifferences(out, ts)) {
    out.at = mark;
    writeMember(out, 'ts', ts, 0);
  }
  writeMember(out, 'values', values, 0);
  writeMember(out, 'duplicates', duplicates, 0);
  writeMember(out, 'conflicts', conflicts, 0);
  out.byte(CLOSE_OBJECT);
}

/**
 * The first timestamp, then the gap to each next one, computed as toV2's `deltas` does; the room
 * for all of them made at once, as `JsonBytes.numbers` does. False, at the first timestamp that is
 * not a safe integer: the window's timestamps are written as they are instead.
 *
 * A loop of its own, not a mode of `numbers`: with one loop for both, its `writeJsonNumber` call
 * sees timestamp gaps and sample values alike, and a checkpoint took 10 % longer to write.
 */
function writeDifferences(out: JsonBytes, ts: readonly unknown[]): boolean {
  out.reserve(2 + ts.length * (MAX_JSON_NUMBER_BYTES + 1));
  const { buffer } = out;
  let at = out.at;
  buffer[at++] = OPEN_ARRAY;
  let previous = 0;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (!Number.isSafeInteger(t)) return false;
    if (i > 0) buffer[at++] = COMMA;
    at = writeJsonNumber(buffer, at, (t as number) - previous);
    previous = t as number;
  }
  buffer[at++] = CLOSE_ARRAY;
  out.at = at;
  return true;
}

/**
 * `"key":value` with a comma before it unless it is the object's first member, or nothing when
 * JSON.stringify leaves the value out. The byte before a member is `{` only for the first one:
 * every value ends with another character.
 */
function writeMember(out: JsonBytes, key: string, value: unknown, depth: number): void {
  const mark = out.at;
  writeKey(out, key);
  if (!writeValue(out, value, depth)) out.at = mark;
}

function writeKey(out: JsonBytes, key: string): void {
  if (out.buffer[out.at - 1] !== OPEN_OBJECT) out.byte(COMMA);
  out.string(key);
  out.byte(COLON);
}

/** Writes `value` as JSON.stringify does; false, writing nothing, for `undefined`. */
function writeValue(out: JsonBytes, value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'number':
      out.number(value);
      return true;
    case 'string':
      out.string(value);
      return true;
    case 'boolean':
      out.ascii(value ? 'true' : 'false');
      return true;
    case 'undefined':
      return false;
    case 'object':
      if (value === null) out.ascii('null');
      else if (depth >= MAX_DEPTH) throw NOT_PLAIN;
      else if (isPlainArray(value)) writeArray(out, value, depth + 1);
      else if (isPlainObject(value)) writeObject(out, value, depth + 1);
      else throw NOT_PLAIN;
      return true;
    default:
      // A function or symbol (left out, or null in an array), a bigint (JSON.stringify throws).
      throw NOT_PLAIN;
  }
}

function writeArray(out: JsonBytes, items: readonly unknown[], depth: number): void {
  if (out.numbers(items)) return;
  out.byte(OPEN_ARRAY);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.byte(COMMA);
    if (!writeValue(out, items[i], depth)) out.ascii('null');
  }
  out.byte(CLOSE_ARRAY);
}

function writeObject(out: JsonBytes, object: Record<string, unknown>, depth: number): void {
  out.byte(OPEN_OBJECT);
  for (const key of Object.keys(object)) writeMember(out, key, object[key], depth);
  out.byte(CLOSE_OBJECT);
}

/** `in` also finds a `toJSON` on the prototype, where JSON.stringify would call it. */
function isPlainArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && !('toJSON' in value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  return Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);
}
