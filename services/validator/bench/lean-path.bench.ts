/**
 * CPU per raw record of the validator's own path through the lean consumer, in process, no Kafka:
 *   npx tsx --conditions=source services/validator/bench/lean-path.bench.ts [--records 100000]
 * Decodes prebuilt fetch responses (record batches as the bridge writes them, the service bench's
 * fleet and payloads), validates each record and encodes its readings, as the service does per
 * record. What the Kafka round trips and the sends around it cost is left out, so that a change
 * to the record reader, the header reading, the validation or the encoder shows up without the
 * noise of a whole service run. Prints ns per record, median and best of 5 rounds.
 */
import { parseArgs } from 'node:util';
import {
  type DeviceRecord,
  deviceUplinkTopic,
  encodeRawHeaders,
  uplinkContentType,
} from '@terrapulse/contracts';
import { encodeRecordBatch, readRecordBatches } from '@terrapulse/service-kit';
import { createUplinkValidator, defaultValidationPolicy, encodeReading } from '../src/domain/index.js';
import { deviceRecord, tableOf } from '../test/fixtures.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    /** Records per record batch, as the bridge's producer sends them per partition. */
    'batch-records': { type: 'string', default: '400' },
  },
});
const RECORDS = Number(args.records);
const BATCH_RECORDS = Number(args['batch-records']);
/** Fetch responses of about 1 MiB, as the consumer asks for per partition. */
const BATCHES_PER_FETCH = Math.max(1, Math.floor(4_000 / BATCH_RECORDS));
const DEVICES = 1_000;
const NOW = Date.now();

const fleet: DeviceRecord[] = Array.from({ length: DEVICES }, (_, i) =>
  deviceRecord({ deviceId: `bench-${i}` }),
);
const validate = createUplinkValidator({ lookup: tableOf(...fleet).lookup, policy: defaultValidationPolicy });
const producer = { producerId: 1n, producerEpoch: 0, baseSequence: 0 };

function record(i: number) {
  const deviceId = `bench-${i % DEVICES}`;
  const payload = {
    v: 1,
    deviceId,
    ts: NOW - 1000,
    seq: i,
    readings: [{ metric: 'water.flow', value: (i % 100) / 10, unit: 'L/s' }],
  };
  return {
    key: Buffer.from(deviceId),
    value: Buffer.from(JSON.stringify(payload)),
    headers: encodeRawHeaders({
      'tp-mqtt-topic': deviceUplinkTopic(deviceId, 'json'),
      'tp-received-at': NOW + i,
      'tp-mqtt-qos': 1,
      'tp-bridge-id': 'bench',
      'tp-content-type': uplinkContentType.json,
    }),
  };
}

/** The fetch responses' record bytes, each a run of record batches with consecutive offsets. */
function fetches(): Buffer[] {
  const out: Buffer[] = [];
  let batches: Buffer[] = [];
  for (let start = 0; start < RECORDS; start += BATCH_RECORDS) {
    const records = Array.from({ length: Math.min(BATCH_RECORDS, RECORDS - start) }, (_, k) =>
      record(start + k),
    );
    const batch = encodeRecordBatch(records, producer, NOW);
    batch.writeBigInt64BE(BigInt(start), 0);
    batches.push(batch);
    if (batches.length === BATCHES_PER_FETCH) {
      out.push(Buffer.concat(batches));
      batches = [];
    }
  }
  if (batches.length > 0) out.push(Buffer.concat(batches));
  return out;
}

function round(responses: readonly Buffer[]): { ns: number; readings: number; bytes: number } {
  let readings = 0;
  let bytes = 0;
  const started = process.cpuUsage();
  for (const response of responses) {
    for (const message of readRecordBatches(response, 0).records) {
      const result = validate(message, 0);
      for (const reading of result.readings) bytes += encodeReading(reading).byteLength;
      readings += result.readings.length;
    }
  }
  const cpu = process.cpuUsage(started);
  return { ns: ((cpu.user + cpu.system) * 1000) / RECORDS, readings, bytes };
}

const responses = fetches();
round(responses); // warm-up: JIT and the memos
const rounds = Array.from({ length: 5 }, () => round(responses)).sort((a, b) => a.ns - b.ns);
const median = rounds[2] as ReturnType<typeof round>;
console.log(
  `lean path (decode + validate + encode), ${RECORDS.toLocaleString('en-US')} records: ` +
    `${median.ns.toFixed(0)} ns CPU per record (best ${rounds[0]?.ns.toFixed(0)}), ` +
    `${median.readings.toLocaleString('en-US')} readings, ${median.bytes.toLocaleString('en-US')} B`,
);
