import type { MetricId } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, stringifyCheckpoint } from '../src/checkpoint-codec.js';
import { checkpointJson } from '../src/checkpoint-json.js';
import {
  type LaneSnapshot,
  type SeriesSnapshot,
  seriesMetaOf,
  type WindowSnapshot,
  WindowStore,
  type WindowStoreSnapshot,
} from '../src/domain/index.js';
import type { PartitionCheckpoint } from '../src/ports/checkpoint-store.js';
import { dstDataset, reading } from './dst-dataset.js';
import { seededRandom, shuffle } from './fixtures.js';

type Random = () => number;

const T0 = Date.parse('2026-10-20T10:00:00Z');

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function integer(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** Numbers that take every branch of the number writer, non-finite and negative zero included. */
const EXOTIC_NUMBERS: readonly ((random: Random) => number)[] = [
  (r) => T0 + integer(r, 1e9),
  (r) => integer(r, 100),
  (r) => -integer(r, 1e12),
  () => -0,
  (r) => r() * 1e6,
  (r) => (r() - 0.5) * 1e-300,
  (r) => r() * 1e308,
  () => Number.MIN_VALUE,
  () => Number.MAX_VALUE,
  () => 1e21,
  () => 1e-7,
  () => 2 ** 53 + 2,
  () => -(2 ** 53 - 1),
  (r) => T0 + r(),
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
];

/** Numbers a decode gives back as they were: finite, no negative zero. */
const DECODABLE_NUMBERS: readonly ((random: Random) => number)[] = [
  (r) => T0 + integer(r, 1e9),
  (r) => integer(r, 100),
  (r) => -integer(r, 1e12) - 1,
  (r) => r() * 1e6 + 1e-9,
  (r) => r() * 1e300 + 1,
  (r) => T0 + r() + 1e-3,
  () => 2 ** 53 + 2,
];

/** Pieces of strings: escapes, control characters, multi-byte UTF-8, lone surrogates. */
const TEXT = ['a', 'Z', '-', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '漢', '😀'];
const EXOTIC_TEXT = [...TEXT, '\ud800', '\udc00', '\u2028', '\u2029'];

class Generator {
  constructor(
    readonly random: Random,
    /** Whether to write what a decode cannot give back: non-finite numbers, extra keys, any text. */
    readonly exotic: boolean,
  ) {}

  number(): number {
    return pick(this.random, this.exotic ? EXOTIC_NUMBERS : DECODABLE_NUMBERS)(this.random);
  }

  text(min = 0): string {
    const length = min + integer(this.random, 12);
    return Array.from({ length }, () => pick(this.random, this.exotic ? EXOTIC_TEXT : TEXT)).join('');
  }

  /** Safe integers most of the time (the differences path), any number otherwise. */
  timestamps(count: number): number[] {
    if (this.random() < 0.6) {
      let t = this.random() < 0.9 ? T0 + integer(this.random, 1e9) : -integer(this.random, 1e6);
      return Array.from({ length: count }, () => (t += integer(this.random, 120_000)));
    }
    return Array.from({ length: count }, () => this.number());
  }

  /** `fields` in a random order, with extra keys (integer-like ones included) when exotic. */
  object<T extends object>(fields: T): T {
    const entries: [string, unknown][] = shuffle(Object.entries(fields), this.random);
    if (this.exotic && this.random() < 0.3) {
      entries.push([pick(this.random, ['7', '0', 'extra', this.text()]), this.extra()]);
    }
    return Object.fromEntries(entries) as T;
  }

  extra(): unknown {
    return pick(this.random, [
      () => this.number(),
      () => this.text(),
      () => null,
      () => undefined,
      () => this.random() < 0.5,
      () => [this.number(), undefined, this.text(), null, { a: undefined, b: [] }],
      () => ({ nested: { deeper: [this.number()] }, [this.text()]: this.text() }),
    ])();
  }

  window(): WindowSnapshot {
    const count = integer(this.random, 20);
    const window = {
      start: this.number(),
      end: this.number(),
      ts: this.timestamps(count),
      values: Array.from({ length: count }, () => this.number()),
      duplicates: integer(this.random, 5),
      conflicts: integer(this.random, 5),
    };
    return this.exotic ? this.object(window) : window;
  }

  lane(): LaneSnapshot {
    const lane: LaneSnapshot = {
      window: pick(this.random, ['15m', '1h', '1d'] as const),
      open: Array.from({ length: integer(this.random, 4) }, () => this.window()),
    };
    if (this.random() < 0.5) lane.carry = { ts: this.number(), value: this.number() };
    else if (this.random() < 0.3) lane.carry = undefined;
    if (this.random() < 0.5) lane.closedThrough = this.number();
    return this.object(lane);
  }

  dims(): Record<string, string> {
    const dims: Record<string, string> = {};
    for (let i = integer(this.random, 4); i > 0; i--) {
      const key = this.exotic
        ? pick(this.random, ['phase', '10', '2', this.text()])
        : `d${integer(this.random, 99)}`;
      dims[key] = this.text(1);
    }
    return Object.freeze(dims);
  }

  series(): SeriesSnapshot {
    const metric = pick(this.random, ['energy.active_power', 'energy.active_energy_index'] as MetricId[]);
    const meta = seriesMetaOf(reading(`em-${integer(this.random, 1000)}`, metric, T0, 1, this.dims()));
    const exoticMeta = this.exotic ? { ...meta, deviceId: this.text(), site: this.text() } : meta;
    return this.object({
      key: this.exotic ? this.text() : `series-${integer(this.random, 1e6)}`,
      meta: exoticMeta,
      timeZone: pick(this.random, ['Europe/Paris', 'UTC', 'America/New_York']),
      lanes: Array.from({ length: integer(this.random, 4) }, () => this.lane()),
    });
  }

  snapshot(): WindowStoreSnapshot {
    const devices = Array.from({ length: integer(this.random, 5) }, () =>
      this.object({
        deviceId: this.exotic ? this.text() : `em-${integer(this.random, 1000)}`,
        watermark: this.random() < 0.3 ? null : this.number(),
      }),
    );
    const series = Array.from({ length: integer(this.random, 6) }, () => this.series());
    return this.object({ version: 1 as const, devices, series });
  }

  checkpoint(): PartitionCheckpoint {
    return {
      partition: integer(this.random, 12),
      offset: integer(this.random, 1e12),
      writtenAt: T0 + integer(this.random, 1e9),
      snapshot: this.snapshot(),
    };
  }
}

/** The fast writer's bytes, which must exist and be the reference's. */
function expectReferenceBytes(topic: string, checkpoint: PartitionCheckpoint): Buffer {
  const reference = stringifyCheckpoint(topic, checkpoint);
  const written = checkpointJson(topic, checkpoint);
  expect(written?.toString('latin1')).toBe(reference.toString('latin1'));
  expect(written?.equals(reference)).toBe(true);
  return written as Buffer;
}

function storeCheckpoint(): PartitionCheckpoint {
  const readings = dstDataset();
  const store = new WindowStore({ allowedLatenessMs: 3_600_000 });
  for (const r of readings) store.apply(r);
  return { partition: 2, offset: readings.length, snapshot: store.snapshot(), writtenAt: 1_790_000_000_000 };
}

describe('checkpoint JSON writer', () => {
  it('should write the reference bytes for randomized snapshots of any numbers, text and key order', () => {
    const random = seededRandom(11);
    const generator = new Generator(random, true);
    for (let i = 0; i < 1500; i++) {
      const topic = generator.text();
      expectReferenceBytes(topic, generator.checkpoint());
    }
  });

  it('should write what a decode gives back as it was, for randomized snapshots', () => {
    const generator = new Generator(seededRandom(12), false);
    for (let i = 0; i < 500; i++) {
      const checkpoint = generator.checkpoint();
      const bytes = expectReferenceBytes('telemetry.readings', checkpoint);
      expect(encodeCheckpoint('telemetry.readings', checkpoint).equals(bytes)).toBe(true);
      expect(decodeCheckpoint(bytes, 'telemetry.readings', checkpoint.partition)).toEqual(checkpoint);
    }
  });

  it('should write a store snapshot itself, before and after a decode round trip', () => {
    const checkpoint = storeCheckpoint();
    const bytes = expectReferenceBytes('t', checkpoint);
    // A decoded snapshot has its lanes' keys in the schema's order: other bytes, the same checkpoint.
    const decoded = decodeCheckpoint(bytes, 't', 2);
    expect(decodeCheckpoint(expectReferenceBytes('t', decoded), 't', 2)).toEqual(decoded);
    const restored = { ...checkpoint, snapshot: WindowStore.restore(decoded.snapshot).snapshot() };
    expect(expectReferenceBytes('t', restored).equals(bytes)).toBe(true);
  });

  it('should leave to JSON.stringify a value it cannot write as it would, with the same bytes or error', () => {
    const base = storeCheckpoint();
    const series = base.snapshot.series[0] as SeriesSnapshot;
    const lane = series.lanes[0] as LaneSnapshot;
    const withSeries = (changed: object) => ({
      ...base,
      snapshot: { ...base.snapshot, series: [{ ...series, ...changed }] },
    });
    const withLane = (changed: object) => withSeries({ lanes: [{ ...lane, ...changed }] });
    const withDims = (dims: object) => withSeries({ meta: { ...series.meta, dims } });
    class Lane {
      window = '15m';
      open = [];
    }
    const sparse: unknown[] = [];
    sparse[1] = lane.open[0];
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [string, unknown][] = [
      ['an own toJSON', withDims({ toJSON: () => 'dims' })],
      ['a toJSON on a lane', withLane({ toJSON: () => 'lane' })],
      ['a date', withDims({ at: new Date(T0) })],
      ['a boxed string', withDims({ phase: new String('L1') })],
      ['an object without prototype', withDims(Object.assign(Object.create(null), { phase: 'L1' }))],
      ['a map', withDims(new Map([['phase', 'L1']]))],
      ['a function', withDims({ phase: () => 'L1' })],
      ['a symbol', withDims({ phase: Symbol('L1') })],
      ['a bigint', withDims({ phase: 1n })],
      ['a cycle', withDims(cyclic)],
      ['a series without its lanes', withSeries({ lanes: undefined })],
      ['a sparse list of windows', withLane({ open: sparse })],
      ['timestamps in a set', withLane({ open: [{ ...lane.open[0], ts: new Set([T0]) }] })],
      ['a missing window', withLane({ open: [undefined] })],
    ];
    // A spread copies an instance's own fields, which the writer writes itself.
    expectReferenceBytes('t', withSeries({ lanes: [new Lane()] }) as PartitionCheckpoint);
    for (const [name, checkpoint] of cases) {
      const input = checkpoint as PartitionCheckpoint;
      expect(checkpointJson('t', input), name).toBeUndefined();
      let reference: Buffer | Error;
      try {
        reference = stringifyCheckpoint('t', input);
      } catch (error) {
        reference = error as Error;
      }
      if (reference instanceof Error)
        expect(() => encodeCheckpoint('t', input), name).toThrow(reference.message);
      else expect(encodeCheckpoint('t', input).equals(reference), name).toBe(true);
    }
  });

  it('should not let a later checkpoint overwrite the bytes of an earlier one', () => {
    const generator = new Generator(seededRandom(13), false);
    const first = generator.checkpoint();
    const bytes = encodeCheckpoint('t', first);
    const copy = Buffer.from(bytes);
    encodeCheckpoint('t', generator.checkpoint());
    expect(bytes.equals(copy)).toBe(true);
  });
});
