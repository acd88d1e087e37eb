import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_UPLINK_PAYLOAD_BYTES, parseJsonPayload } from '../src/index.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('canonicalJson', () => {
  it('sorts keys at every level and ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe('parseJsonPayload', () => {
  it('parses a UTF-8 JSON payload', () => {
    expect(parseJsonPayload(bytes('{"v":1,"unit":"m³"}'))).toEqual({ ok: true, value: { v: 1, unit: 'm³' } });
  });

  it('refuses a payload over the size limit before decoding it', () => {
    const big = new Uint8Array(MAX_UPLINK_PAYLOAD_BYTES + 1);
    expect(parseJsonPayload(big)).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses invalid UTF-8 and invalid JSON as malformed', () => {
    expect(parseJsonPayload(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatchObject({
      ok: false,
      code: 'MALFORMED_PAYLOAD',
    });
    expect(parseJsonPayload(bytes('{"v":1'))).toMatchObject({ ok: false, code: 'MALFORMED_PAYLOAD' });
  });

  it('refuses nesting deeper than the limit', () => {
    expect(parseJsonPayload(bytes(`${'['.repeat(9)}${']'.repeat(9)}`))).toMatchObject({
      ok: false,
      code: 'MALFORMED_PAYLOAD',
    });
    expect(parseJsonPayload(bytes(`${'['.repeat(8)}${']'.repeat(8)}`)).ok).toBe(true);
  });

  it('survives a payload that is nothing but opening brackets', () => {
    expect(parseJsonPayload(bytes('['.repeat(60_000))).ok).toBe(false);
  });
});
