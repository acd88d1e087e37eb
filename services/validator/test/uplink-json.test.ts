import { MAX_UPLINK_PAYLOAD_BYTES, parseJsonPayload } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { nestsTooDeep, parseUplinkJson } from '../src/domain/uplink-json.js';

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);
const text = (value: unknown) => Buffer.from(JSON.stringify(value));

const payloads: Uint8Array[] = [
  text({ v: 1, deviceId: 'wm-0001', readings: [{ metric: 'water.flow', value: 1 }] }),
  text({ site: 'école', unit: 'm³' }),
  Buffer.from(' [1, 2.5e3, "x", null, true] \n'),
  Buffer.from('{"v":1,'),
  Buffer.from(''),
  Buffer.from([0x7b, 0xff, 0x7d]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.alloc(MAX_UPLINK_PAYLOAD_BYTES + 1, 0x20),
  new Uint8Array(Buffer.from('{"plain":"Uint8Array"}')),
  text(nested(7)),
  text(nested(8)),
  text(nested(9)),
  text({ a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } }),
];

/** The contract's verdict, its depth check included, from the two steps. */
function twoSteps(bytes: Uint8Array) {
  const json = parseUplinkJson(bytes);
  if (!json.ok) return json;
  return nestsTooDeep(json.value, bytes) ?? json;
}

describe('uplink JSON parsing', () => {
  it('gives the contract verdict, reasons included, on every kind of payload', () => {
    for (const bytes of payloads) expect(twoSteps(bytes)).toEqual(parseJsonPayload(bytes));
  });

  it('refuses a value nested deeper than the contract allows only in the depth step', () => {
    const bytes = text(nested(9));
    const json = parseUplinkJson(bytes);
    expect(json.ok).toBe(true);
    expect(json.ok && nestsTooDeep(json.value, bytes)).toMatchObject({
      ok: false,
      code: 'MALFORMED_PAYLOAD',
    });
  });
});
