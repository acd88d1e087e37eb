import { describe, expect, it } from 'vitest';
import { encodeHeaders, encodeRecordBatch } from '../src/kafka-lean/record-batch.js';
import { readRecordBatches, UnsupportedBatchError } from '../src/kafka-lean/record-batch-reader.js';
import { assignRoundRobin } from '../src/kafka-lean/round-robin-assignment.js';

const producer = { producerId: 7n, producerEpoch: 0, baseSequence: 0 };

/** A batch as a broker stores it: the producer's bytes with the base offset the log gave it. */
function storedBatch(baseOffset: number, values: string[], headers: Record<string, string> = {}): Buffer {
  const batch = encodeRecordBatch(
    values.map((value, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(value), headers })),
    producer,
    1_764_000_000_000,
  );
  batch.writeBigInt64BE(BigInt(baseOffset), 0);
  return batch;
}

describe('readRecordBatches', () => {
  it('decodes keys, values, headers, offsets and timestamps of consecutive batches', () => {
    const bytes = Buffer.concat([
      storedBatch(10, ['a', 'b'], { 'mqtt-topic': 'x/é' }),
      storedBatch(12, ['c']),
    ]);
    const records = readRecordBatches(bytes, 0).records;
    expect(records.map((r) => [r.offset, String(r.key), String(r.value)])).toEqual([
      ['10', 'k0', 'a'],
      ['11', 'k1', 'b'],
      ['12', 'k0', 'c'],
    ]);
    expect(String(records[0]?.headers['mqtt-topic'])).toBe('x/é');
    expect(records[2]?.headers).toEqual({});
    expect(records[0]?.timestamp).toBe('1764000000000');
  });

  it("decodes each record's own header values when consecutive records repeat, change or alternate them", () => {
    const values = [
      '1750000000001',
      '1750000000001',
      '1750000000002',
      '1750000000001',
      'é',
      'e',
      '',
      'x'.repeat(300),
    ];
    const batch = encodeRecordBatch(
      values.map((value, i) => ({
        key: Buffer.from(`k${i}`),
        value: Buffer.from('v'),
        headers: { 'tp-received-at': value, 'tp-mqtt-qos': String(i % 2) },
      })),
      producer,
      1_764_000_000_000,
    );
    // Twice: the second pass starts with values remembered from the first.
    for (let pass = 0; pass < 2; pass++) {
      const records = readRecordBatches(batch, 0).records;
      expect(records.map((r) => r.headers['tp-received-at'])).toEqual(values);
      expect(records.map((r) => r.headers['tp-mqtt-qos'])).toEqual(values.map((_, i) => String(i % 2)));
    }
  });

  it('headerValues should give the last value of each named header, as headers does, or undefined', () => {
    const shared = encodeHeaders({ 'tp-mqtt-qos': '0', 'tp-bridge-id': 'shared' });
    const headers: Array<Record<string, string>> = [
      { 'tp-mqtt-topic': 'tp/v1/dev/a/up/json', 'tp-received-at': '1750000000001' },
      { 'tp-mqtt-topic': 'tp/v1/dev/é/up/json', 'tp-bridge-id': 'own', 'x-other': 'skip me' },
      { 'tp-received-at': '', 'tp-mqtt-topic': 'y'.repeat(300) },
      {},
    ];
    const batch = encodeRecordBatch(
      headers.map((h, i) => ({
        key: Buffer.from('k'),
        value: Buffer.from(`v${i}`),
        headers: h,
        encodedHeaders: shared,
      })),
      producer,
      1_764_000_000_000,
    );
    // tp-mqtt-retain has the length of tp-received-at, and no record carries it.
    const names = [
      'tp-mqtt-topic',
      'tp-mqtt-retain',
      'tp-received-at',
      'tp-bridge-id',
      'tp-mqtt-qos',
      'absent',
    ];
    const into: Array<string | undefined> = names.map(() => 'stale');
    for (const record of readRecordBatches(batch, 0).records) {
      record.headerValues(names, into);
      expect(into).toEqual(names.map((name) => record.headers[name]));
    }
    expect(into.slice(3, 5)).toEqual(['shared', '0']);
  });

  it('decodes every value of a header whose values never repeat, past the point its values skip the cache', () => {
    const values = Array.from({ length: 300 }, (_, i) => String(1_750_000_000_000 + (i % 150)));
    const batch = encodeRecordBatch(
      values.map((value) => ({
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: { 'tp-churn-at': value },
      })),
      producer,
      1_764_000_000_000,
    );
    const into: Array<string | undefined> = [];
    const names = ['tp-churn-at'];
    const read = readRecordBatches(batch, 0).records.map((r) => {
      r.headerValues(names, into);
      return [into[0], r.headers['tp-churn-at']];
    });
    expect(read).toEqual(values.map((value) => [value, value]));
  });

  it('skips records before the fetch position and a last batch cut short', () => {
    const whole = Buffer.concat([storedBatch(0, ['a', 'b', 'c']), storedBatch(3, ['d', 'e'])]);
    const cut = whole.subarray(0, whole.length - 5);
    expect(readRecordBatches(cut, 1).records.map((r) => String(r.value))).toEqual(['b', 'c']);
    expect(readRecordBatches(cut, 1).nextOffset).toBe(3);
    expect(readRecordBatches(whole, 1).nextOffset).toBe(5);
  });

  it('refuses compressed batches with a message saying so', () => {
    const batch = storedBatch(0, ['a']);
    batch.writeInt16BE(1, 21); // attributes: gzip
    expect(() => readRecordBatches(batch, 0)).toThrow(UnsupportedBatchError);
    expect(() => readRecordBatches(batch, 0)).toThrow(/gzip/);
  });

  it('skips control batches (transaction markers)', () => {
    const control = storedBatch(5, ['marker']);
    control.writeInt16BE(0x20, 21);
    const bytes = Buffer.concat([control, storedBatch(6, ['f'])]);
    expect(readRecordBatches(bytes, 0).records.map((r) => [r.offset, String(r.value)])).toEqual([['6', 'f']]);
    expect(readRecordBatches(control, 0).nextOffset).toBe(6);
  });
});

describe('assignRoundRobin', () => {
  it('deals every partition once, in turn, to the subscribed members sorted by id', () => {
    const assignment = assignRoundRobin(
      [
        { memberId: 'b', topics: ['raw'] },
        { memberId: 'a', topics: ['raw', 'agg'] },
      ],
      new Map([
        ['raw', 3],
        ['agg', 2],
      ]),
    );
    expect(Object.fromEntries(assignment.get('a') ?? [])).toEqual({ agg: [0, 1], raw: [0, 2] });
    expect(Object.fromEntries(assignment.get('b') ?? [])).toEqual({ raw: [1] });
  });

  it('gives a member of a group larger than the partition count nothing', () => {
    const assignment = assignRoundRobin(
      ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, topics: ['t'] })),
      new Map([['t', 2]]),
    );
    expect([...assignment.values()].map((t) => t.get('t') ?? [])).toEqual([[0], [1], []]);
  });
});
