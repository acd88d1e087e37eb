import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cIsNative, crc32cPortable } from '../src/kafka-lean/crc32c.js';
import { murmur2, partitionForKey } from '../src/kafka-lean/murmur2.js';
import { type BatchRecord, encodeHeaders, encodeRecordBatch } from '../src/kafka-lean/record-batch.js';

// kafkajs's own encoders are the reference: the lean client must put the same bytes on the wire.
const require = createRequire(import.meta.url);
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => object;
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: object) => Promise<{ buffer: Buffer }>;
};
const Long = require('kafkajs/src/utils/long') as { fromValue(value: number): object };
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer,
) => number;
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C') as (data: Buffer) => number;

function records(count: number): BatchRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`dev-${i % 7}`),
    value: Buffer.alloc(i * 37, i),
    headers: {
      'tp-mqtt-topic': `terrapulse/v1/devices/dev-${i % 7}/up/json`,
      'tp-received-at': String(1_750_000_000_000 + i),
      'tp-content-type': 'application/json',
      // Not ASCII: multi-byte UTF-8 must be sized and written right too.
      ...(i % 3 === 0 ? { 'tp-note': 'mètre cube ³ 😀' } : {}),
    },
  }));
}

async function kafkajsBatch(input: BatchRecord[], timestamp: number): Promise<Buffer> {
  const encoded = await kafkajsRecordBatch({
    compression: 0,
    firstTimestamp: timestamp,
    maxTimestamp: timestamp,
    partitionLeaderEpoch: -1,
    lastOffsetDelta: input.length - 1,
    producerId: Long.fromValue(123_456_789),
    producerEpoch: 7,
    firstSequence: 2_000_000_000,
    records: input.map((record, offsetDelta) => kafkajsRecord({ offsetDelta, timestampDelta: 0, ...record })),
  });
  return encoded.buffer;
}

describe('lean Kafka encoding', () => {
  it.each([1, 2, 300])(
    'should encode a record batch of %i records byte for byte as kafkajs does',
    async (count) => {
      const input = records(count);
      const timestamp = 1_750_000_000_123;
      const lean = encodeRecordBatch(
        input,
        { producerId: 123_456_789n, producerEpoch: 7, baseSequence: 2_000_000_000 },
        timestamp,
      );
      expect(lean.equals(await kafkajsBatch(input, timestamp))).toBe(true);
    },
  );

  it("should write pre-encoded header entries as if they were the first of the record's headers", async () => {
    const input = records(40);
    const timestamp = 1_750_000_000_123;
    const producer = { producerId: 123_456_789n, producerEpoch: 7, baseSequence: 0 };
    // The shared entries (multi-byte UTF-8 included) encoded once, the receive time per record.
    const split = input.map((record) => {
      const { 'tp-received-at': receivedAt, ...shared } = record.headers;
      return {
        ...record,
        headers: { 'tp-received-at': receivedAt as string },
        encodedHeaders: encodeHeaders(shared),
      };
    });
    const reordered = input.map((record) => {
      const { 'tp-received-at': receivedAt, ...shared } = record.headers;
      return { ...record, headers: { ...shared, 'tp-received-at': receivedAt as string } };
    });
    const lean = encodeRecordBatch(split, producer, timestamp);
    expect(lean.equals(encodeRecordBatch(reordered, producer, timestamp))).toBe(true);
    expect(encodeHeaders({}).count).toBe(0);
  });

  it.each([
    ['native where available', crc32c],
    ['portable', crc32cPortable],
  ])(
    'should compute CRC-32C (%s): the standard check value and the same as kafkajs on odd lengths',
    (_, crc) => {
      expect(crc(Buffer.from('123456789'))).toBe(0xe3069283);
      const data = Buffer.from(Array.from({ length: 1_037 }, (_, i) => (i * 31 + 7) & 0xff));
      for (const end of [0, 1, 7, 8, 9, 1_037])
        expect(crc(data, 0, end)).toBe(kafkajsCrc32c(data.subarray(0, end)));
      expect(crc(data, 5, 900)).toBe(kafkajsCrc32c(data.subarray(5, 900)));
      // Checksums with the top bit set come back unsigned from both.
      expect(crc(Buffer.from([0xff]))).toBe(kafkajsCrc32c(Buffer.from([0xff])));
    },
  );

  it('should use the hardware-accelerated CRC-32C on linux x64, the platform CI and the bench run on', () => {
    if (process.platform === 'linux' && process.arch === 'x64') expect(crc32cIsNative).toBe(true);
  });

  it('should hash keys as Java Kafka clients and kafkajs do, so every producer agrees on a key partition', () => {
    for (let i = 0; i < 2_000; i++) {
      const key = Buffer.from(`device-${i}-${'x'.repeat(i % 11)}`);
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
    // Reference values from org.apache.kafka.common.utils.Utils#murmur2.
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(partitionForKey(Buffer.from('foobar'), 6)).toBe((-790332482 & 0x7fffffff) % 6);
  });
});
