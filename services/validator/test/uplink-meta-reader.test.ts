import { deviceUplinkTopic, RAW_HEADERS } from '@terrapulse/contracts';
import { describe, expect, it } from 'vitest';
import { type RawUplink, UplinkMetaReader } from '../src/domain/index.js';
import { RECEIVED_AT, rawUplink } from './fixtures.js';

function withHeader(uplink: RawUplink, name: string, value: string | undefined): RawUplink {
  const headers = { ...uplink.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = Buffer.from(value);
  return { ...uplink, headers };
}

describe('uplink metadata reader', () => {
  it('reads the topic and the receive time of each message, also when the stable headers are memoized', () => {
    const reader = new UplinkMetaReader();
    const first = reader.read(rawUplink('{}', { receivedAt: RECEIVED_AT }));
    const second = reader.read(rawUplink('{}', { receivedAt: RECEIVED_AT + 1 }));
    expect(first).toMatchObject({
      ok: true,
      receivedAt: RECEIVED_AT,
      mqttTopic: deviceUplinkTopic('wm-0001', 'json'),
    });
    expect(second).toMatchObject({ ok: true, receivedAt: RECEIVED_AT + 1 });
    expect(second.ok && second.topic).toEqual({ ok: true, deviceId: 'wm-0001', format: 'json' });
  });

  it('refuses a bad receive time even when the other headers were seen valid before', () => {
    const reader = new UplinkMetaReader();
    reader.read(rawUplink('{}'));
    const meta = reader.read(withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, 'yesterday'));
    expect(meta.ok).toBe(false);
    expect(!meta.ok && meta.issues.map((i) => i.path)).toEqual(['headers.tp-received-at']);
  });

  it('refuses a header set that differs from a memoized one only in an invalid header', () => {
    const reader = new UplinkMetaReader();
    reader.read(rawUplink('{}'));
    const meta = reader.read(withHeader(rawUplink('{}'), RAW_HEADERS.mqttQos, '7'));
    expect(meta.ok).toBe(false);
    expect(!meta.ok && meta.mqttTopic).toBe(deviceUplinkTopic('wm-0001', 'json'));
  });

  it('falls back to the Kafka timestamp when the receive time is missing', () => {
    const meta = new UplinkMetaReader().read(withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, undefined));
    expect(meta).toMatchObject({ ok: false, receivedAt: RECEIVED_AT });
  });

  it('takes the last value of a repeated header', () => {
    const uplink = rawUplink('{}');
    const topic = deviceUplinkTopic('wm-0002', 'senml');
    const repeated = {
      ...uplink,
      headers: { ...uplink.headers, [RAW_HEADERS.mqttTopic]: [Buffer.from('x'), Buffer.from(topic)] },
    };
    expect(new UplinkMetaReader().read(repeated)).toMatchObject({ ok: true, mqttTopic: topic });
  });

  it('stays bounded: the memo starts over when full and still reads correctly', () => {
    const reader = new UplinkMetaReader(2);
    for (const id of ['wm-0001', 'wm-0002', 'wm-0003', 'wm-0004']) {
      const meta = reader.read(rawUplink('{}', { deviceId: id }));
      expect(meta.ok && meta.topic.deviceId).toBe(id);
    }
  });

  it('reads the same headers alike as text or as bytes, and from several bridges in turn', () => {
    const reader = new UplinkMetaReader();
    const asBytes = (uplink: RawUplink): RawUplink => ({
      ...uplink,
      headers: Object.fromEntries(
        Object.entries(uplink.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
      ),
    });
    for (let i = 0; i < 3; i += 1) {
      for (const bridge of ['bridge-a', 'bridge-b']) {
        const uplink = withHeader(
          rawUplink('{}', { receivedAt: RECEIVED_AT + i }),
          RAW_HEADERS.bridgeId,
          bridge,
        );
        for (const variant of [uplink, asBytes(uplink)]) {
          expect(reader.read(variant)).toEqual({
            ok: true,
            mqttTopic: deviceUplinkTopic('wm-0001', 'json'),
            topic: { ok: true, deviceId: 'wm-0001', format: 'json' },
            receivedAt: RECEIVED_AT + i,
          });
        }
      }
    }
  });

  it('reads a receive time of 16 digits through the contract, on a memoized header set too', () => {
    const reader = new UplinkMetaReader();
    reader.read(rawUplink('{}'));
    const valid = reader.read(withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, '1000000000000000'));
    expect(valid).toMatchObject({ ok: true, receivedAt: 1e15 });
    const tooLate = reader.read(withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, '9000000000000000'));
    expect(tooLate.ok).toBe(false);
  });

  it('refuses a header set whose bridge id differs from a memoized one by its bytes', () => {
    const reader = new UplinkMetaReader();
    reader.read(rawUplink('{}'));
    expect(reader.read(withHeader(rawUplink('{}'), RAW_HEADERS.bridgeId, '')).ok).toBe(false);
  });

  it('reads a record that reads its own headers (the lean consumer) exactly as through its headers object', () => {
    let calls = 0;
    /** As the lean consumer's records: text headers, and headerValues reading the same. */
    const readingOwnHeaders = (uplink: RawUplink): RawUplink => ({
      ...uplink,
      headerValues(names, into) {
        calls += 1;
        names.forEach((name, i) => {
          const value = uplink.headers?.[name];
          into[i] = value === undefined ? undefined : String(value);
        });
      },
    });
    const uplinks = [
      rawUplink('{}'),
      rawUplink('{}', { receivedAt: RECEIVED_AT + 1 }),
      rawUplink('{}', { deviceId: 'wm-0002' }),
      withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, 'yesterday'),
      withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, '1000000000000000'),
      withHeader(rawUplink('{}'), RAW_HEADERS.receivedAt, undefined),
      withHeader(rawUplink('{}'), RAW_HEADERS.mqttQos, '7'),
      withHeader(rawUplink('{}'), RAW_HEADERS.bridgeId, 'bridge-b'),
      withHeader(rawUplink('{}'), RAW_HEADERS.mqttTopic, undefined),
    ];
    const plain = new UplinkMetaReader();
    const own = new UplinkMetaReader();
    for (const uplink of [...uplinks, ...uplinks]) {
      expect(own.read(readingOwnHeaders(uplink))).toEqual(plain.read(uplink));
    }
    expect(calls).toBe(2 * uplinks.length);
  });
});
