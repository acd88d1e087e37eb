import {
  decodeRawHeaders,
  deviceUplinkTopic,
  MAX_MQTT_TOPIC_LENGTH,
  RAW_HEADERS,
  uplinkContentType,
} from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { RawRecordEncoder, rawRecordHeaders, rawRecordKey } from '../src/domain/raw-record.js';

const decoded = (headers: Record<string, string>) => {
  const result = decodeRawHeaders(Object.entries(headers));
  if (!result.success) throw new Error(`headers do not decode: ${result.error.message}`);
  return result.data;
};

describe('raw record key', () => {
  it('should be the device id of a well-formed uplink topic', () => {
    expect(rawRecordKey(deviceUplinkTopic('wm-0042', 'json'))).toBe('wm-0042');
  });

  it('should still be the device id when the format is unknown, so the dead letter stays with its device', () => {
    expect(rawRecordKey('terrapulse/v1/devices/wm-0042/up/xml')).toBe('wm-0042');
  });

  it('should be the whole topic when the topic names no valid device', () => {
    expect(rawRecordKey('terrapulse/v1/devices/WM_42/up/json')).toBe('terrapulse/v1/devices/WM_42/up/json');
  });
});

describe('raw record headers', () => {
  it('should carry the topic, receive time, qos, retain flag, bridge id and the content type of the format', () => {
    const topic = deviceUplinkTopic('tc-7', 'senml');
    const headers = decoded(
      rawRecordHeaders({ topic, qos: 1, retain: false }, 'bridge-9', 1_750_000_000_123),
    );
    expect(headers).toEqual({
      [RAW_HEADERS.mqttTopic]: topic,
      [RAW_HEADERS.receivedAt]: 1_750_000_000_123,
      [RAW_HEADERS.mqttQos]: 1,
      [RAW_HEADERS.mqttRetain]: false,
      [RAW_HEADERS.bridgeId]: 'bridge-9',
      [RAW_HEADERS.contentType]: uplinkContentType.senml,
    });
  });

  it('should say application/octet-stream for a format the contract does not know', () => {
    const headers = decoded(
      rawRecordHeaders({ topic: 'terrapulse/v1/devices/d-1/up/cbor', qos: 0, retain: true }, 'b', 1),
    );
    expect(headers[RAW_HEADERS.contentType]).toBe('application/octet-stream');
    expect(headers[RAW_HEADERS.mqttRetain]).toBe(true);
  });

  it('should cut a topic longer than the contract allows instead of failing the message', () => {
    const topic = `terrapulse/v1/devices/d-1/up/${'x'.repeat(400)}`;
    const headers = decoded(rawRecordHeaders({ topic, qos: 1, retain: false }, 'b', 1));
    expect(headers[RAW_HEADERS.mqttTopic]).toBe(topic.slice(0, MAX_MQTT_TOPIC_LENGTH));
  });
});

describe('raw record encoder', () => {
  const topic = deviceUplinkTopic('em-3', 'json');

  it('should give each message the same headers as the contract encoding, with its own receive time', () => {
    const encoder = new RawRecordEncoder('bridge-1');
    const payload = Buffer.from('{"v":1}');
    encoder.encode({ topic, qos: 1, retain: false }, payload, 1000);
    const second = encoder.encode({ topic, qos: 1, retain: false }, payload, 2000);
    expect(second.key).toBe('em-3');
    expect(second.value).toBe(payload);
    expect(second.headers).toEqual(rawRecordHeaders({ topic, qos: 1, retain: false }, 'bridge-1', 2000));
  });

  it('should keep the qos and retain flag of each message apart for the same topic', () => {
    const encoder = new RawRecordEncoder('bridge-1');
    encoder.encode({ topic, qos: 1, retain: false }, Buffer.alloc(0), 1);
    const qos0 = decoded(encoder.encode({ topic, qos: 0, retain: true }, Buffer.alloc(0), 2).headers);
    expect(qos0[RAW_HEADERS.mqttQos]).toBe(0);
    expect(qos0[RAW_HEADERS.mqttRetain]).toBe(true);
  });

  it('should stay correct when more topics pass than the cache holds', () => {
    const encoder = new RawRecordEncoder('bridge-1', 2);
    const topics = ['a-1', 'b-2', 'c-3', 'a-1', 'd-4', 'b-2'].map((id) => deviceUplinkTopic(id, 'json'));
    for (const [index, each] of topics.entries()) {
      const record = encoder.encode({ topic: each, qos: 1, retain: false }, Buffer.alloc(0), index);
      expect(record.key).toBe(rawRecordKey(each));
      expect(record.headers).toEqual(
        rawRecordHeaders({ topic: each, qos: 1, retain: false }, 'bridge-1', index),
      );
    }
  });
});
