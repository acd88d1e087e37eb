import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeRawHeaders, encodeRawHeaders, RAW_HEADERS, RawMessageHeaders } from '../src/index.js';

const text = {
  'tp-mqtt-topic': 'terrapulse/v1/devices/wm-0042/up/json',
  'tp-received-at': '1750000000123',
  'tp-mqtt-qos': '1',
  'tp-bridge-id': 'bridge-a',
  'tp-content-type': 'application/json',
};

describe('RawMessageHeaders', () => {
  it('names its headers with the tp- prefix', () => {
    for (const name of Object.values(RAW_HEADERS)) expect(name).toMatch(/^tp-[a-z-]+$/);
  });

  it('decodes header text into typed values', () => {
    expect(RawMessageHeaders.parse({ ...text, 'tp-mqtt-retain': 'false' })).toEqual({
      ...text,
      'tp-received-at': 1_750_000_000_123,
      'tp-mqtt-qos': 1,
      'tp-mqtt-retain': false,
    });
  });

  it('encodes typed values back into the same text', () => {
    const typed = RawMessageHeaders.parse(text);
    expect(encodeRawHeaders(typed)).toEqual(text);
    expect(z.encode(RawMessageHeaders, typed)).toEqual(text);
  });

  it('decodes Buffer headers as a Kafka client hands them out, ignoring foreign ones', () => {
    const entries = Object.entries({ ...text, traceparent: '00-abc' }).map(
      ([name, value]) => [Buffer.from(name), Buffer.from(value)] as const,
    );
    const result = decodeRawHeaders(entries);
    expect(result.success && result.data['tp-received-at']).toBe(1_750_000_000_123);
    expect(result.success && 'traceparent' in result.data).toBe(false);
  });

  it('rejects a missing header, a non-numeric time and an unknown QoS', () => {
    const { 'tp-bridge-id': _b, ...withoutBridge } = text;
    expect(RawMessageHeaders.safeParse(withoutBridge).success).toBe(false);
    expect(RawMessageHeaders.safeParse({ ...text, 'tp-received-at': 'yesterday' }).success).toBe(false);
    expect(RawMessageHeaders.safeParse({ ...text, 'tp-mqtt-qos': '3' }).success).toBe(false);
  });
});
