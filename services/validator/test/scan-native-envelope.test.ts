import { describe, expect, it } from 'vitest';
import { scanNativeEnvelope } from '../src/domain/scan-native-envelope.js';
import { parseUplinkJson } from '../src/domain/uplink-json.js';
import { decodeWellFormedEnvelope } from '../src/domain/well-formed-envelope.js';
import { RECEIVED_AT } from './fixtures.js';

const ID = 'wm-0001';
const TS = RECEIVED_AT - 1000;
const head = `{"v":1,"deviceId":"${ID}","ts":${TS},"seq":7,"readings":`;
const flow = '{"metric":"water.flow","value":0.5,"unit":"L/s"}';
const count = (dims: string) => `{"metric":"mobility.vehicle_count","value":3,"unit":"count","dims":${dims}}`;

/** What the JSON path decodes the text to, the reference the scan must equal when it answers. */
function reference(text: string, deviceId = ID) {
  const json = parseUplinkJson(Buffer.from(text));
  return json.ok ? decodeWellFormedEnvelope(json.value, deviceId) : undefined;
}

/** The payloads as the simulator writes them (its encodeEnvelope), each of which the scan takes. */
const common = [
  `${head}[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","readings":[{"metric":"water.flow","value":2}]}`,
  `{"v":1,"deviceId":"${ID}","seq":0,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":0,"readings":[${flow}]}`,
  `${head}[${flow},${count('{"vehicleClass":"car"}')},${count('{}')}]}`,
  `${head}[{"metric":"water.flow","value":-12.25,"unit":"L/s","ts":${RECEIVED_AT}}]}`,
  `${head}[{"metric":"water.flow","value":-0,"unit":"L/s"}]}`,
  `${head}[{"metric":"water.flow","value":0.000001,"unit":"L/s"}]}`,
  `${head}[{"metric":"water.flow","value":123456789012.345,"unit":"L/s"}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":"${'x'.repeat(16)}"}]}`,
  `{"v":1,"deviceId":"${ID}","ts":999999999999999,"seq":999999999999999,"readings":[${flow}]}`,
  `${head}[${Array.from({ length: 100 }, () => flow).join(',')}]}`,
];

/** Valid or not, none in the plain form the scan knows: each goes to the JSON path. */
const others = [
  `${head}[${flow}]} `,
  ` ${head}[${flow}]}`,
  `\ufeff${head}[${flow}]}`,
  `${head}[ ${flow}]}`,
  `{"deviceId":"${ID}","v":1,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"wm-0002","readings":[${flow}]}`,
  `{"v":1,"deviceId":"wm\\u002d0001","readings":[${flow}]}`,
  `{"v":1.0,"deviceId":"${ID}","readings":[${flow}]}`,
  `{"v":10,"deviceId":"${ID}","readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","seq":1,"ts":${TS},"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":${TS},"ts":${TS},"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":-1,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":01,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":1.5,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":1e3,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":8640000000000001,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","ts":"2026-03-01T10:00:00Z","readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","seq":9007199254740992,"readings":[${flow}]}`,
  `{"v":1,"deviceId":"${ID}","seq":"3","readings":[${flow}]}`,
  `${head}[]}`,
  `${head}[${Array.from({ length: 101 }, () => flow).join(',')}]}`,
  `${head}[${flow},]}`,
  `${head}[${flow}]`,
  `${head}[${flow}]}}`,
  `${head}[${flow}],"extra":1}`,
  `${head}[{"value":0.5,"metric":"water.flow"}]}`,
  `${head}[{"metric":"water.nope","value":1}]}`,
  `${head}[{"metric":"toString","value":1}]}`,
  `${head}[{"metric":"water.flo\\u0077","value":1}]}`,
  `${head}[{"metric":"water.flow","value":"1"}]}`,
  `${head}[{"metric":"water.flow","value":01}]}`,
  `${head}[{"metric":"water.flow","value":-01.5}]}`,
  `${head}[{"metric":"water.flow","value":.5}]}`,
  `${head}[{"metric":"water.flow","value":1.}]}`,
  `${head}[{"metric":"water.flow","value":-}]}`,
  `${head}[{"metric":"water.flow","value":+1}]}`,
  `${head}[{"metric":"water.flow","value":1.2.3}]}`,
  `${head}[{"metric":"water.flow","value":NaN}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":""}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":"${'x'.repeat(17)}"}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":"L\\/s"}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":"m³/h"}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":null}]}`,
  `${head}[{"metric":"water.flow","value":1,"ts":"2026-03-01T10:00:00Z"}]}`,
  `${head}[{"metric":"water.flow","value":1,"dims":{"vehicleClass":"plane"}}]}`,
  `${head}[{"metric":"water.flow","value":1,"dims":{"other":"x"}}]}`,
  `${head}[{"metric":"water.flow","value":1,"dims":null}]}`,
  `${head}[{"metric":"water.flow","value":1,"valeu":1}]}`,
  `${head}[{"metric":"water.flow","value":1,"unit":"L/s","unit":"L/s"}]}`,
  `${head}[{"metric":"water.flow","value":1`,
  `${head}[null]}`,
  '[]',
  '',
];

describe('native envelope scan', () => {
  it('decodes the payloads the simulator writes exactly as the JSON path does', () => {
    for (const text of common) {
      const scanned = scanNativeEnvelope(Buffer.from(text), ID);
      expect(scanned, text).toBeDefined();
      expect(scanned, text).toStrictEqual(reference(text));
    }
  });

  it('decodes a plain Uint8Array as it decodes a Buffer', () => {
    const text = common[0] as string;
    expect(scanNativeEnvelope(new TextEncoder().encode(text), ID)).toStrictEqual(reference(text));
  });

  it('reads values with an exponent or beyond 15 digits as the JSON path does', () => {
    for (const value of ['1e3', '1E3', '-2.5e-3', '1E+2', '1234567890123456', '0.1234567890123456']) {
      const text = `${head}[{"metric":"water.flow","value":${value}}]}`;
      const scanned = scanNativeEnvelope(Buffer.from(text), ID);
      expect(scanned, text).toBeDefined();
      expect(scanned, text).toStrictEqual(reference(text));
    }
    // Infinity to JSON.parse, which the contract refuses: the JSON path gives the error.
    expect(
      scanNativeEnvelope(Buffer.from(`${head}[{"metric":"water.flow","value":1e400}]}`), ID),
    ).toBeUndefined();
  });

  it('leaves every payload out of its plain form to the JSON path', () => {
    for (const text of others) expect(scanNativeEnvelope(Buffer.from(text), ID), text).toBeUndefined();
  });

  it('leaves a payload above the size bound to the JSON path', () => {
    const unit = `,"unit":"${'x'.repeat(16)}"`;
    const big = `{"metric":"water.flow","value":1${unit}}`;
    const text = `${head}[${Array.from({ length: 100 }, () => big).join(',')}]}`.padEnd(70_000);
    expect(scanNativeEnvelope(Buffer.from(text), ID)).toBeUndefined();
  });

  it('reads every value as JSON.parse does, to the last bit', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const digits = (n: number): string => Array.from({ length: n }, () => String(random(10))).join('');
    for (let i = 0; i < 20_000; i += 1) {
      const whole = random(8) === 0 ? '0' : `${1 + random(9)}${digits(random(9))}`;
      const fraction = random(4) === 0 ? '' : `.${digits(1 + random(15 - whole.length))}`;
      const value = `${random(3) === 0 ? '-' : ''}${whole}${fraction}`;
      const text = `${head}[{"metric":"water.flow","value":${value}}]}`;
      const scanned = scanNativeEnvelope(Buffer.from(text), ID);
      const item = scanned?.ok === true ? scanned.items[0] : undefined;
      const read = item?.ok === true ? item.reading.value : undefined;
      expect(Object.is(read, JSON.parse(value)), value).toBe(true);
    }
  });
});
