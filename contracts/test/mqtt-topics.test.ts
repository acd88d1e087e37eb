import { describe, expect, it } from 'vitest';
import {
  bridgeSharedSubscription,
  deviceAclTopic,
  deviceUplinkTopic,
  parseUplinkTopic,
  UPLINK_TOPIC_FILTER,
} from '../src/index.js';

describe('MQTT topics', () => {
  it('builds the uplink topic of a device for each format', () => {
    expect(deviceUplinkTopic('wm-0042', 'json')).toBe('terrapulse/v1/devices/wm-0042/up/json');
    expect(deviceUplinkTopic('wm-0042', 'senml')).toBe('terrapulse/v1/devices/wm-0042/up/senml');
  });

  it('builds the ACL pattern of a device', () => {
    expect(deviceAclTopic('wm-0042')).toBe('terrapulse/v1/devices/wm-0042/up/#');
  });

  it('refuses to build a topic or ACL from an id that would be a wildcard', () => {
    for (const id of ['+', '#', 'a/b', 'WM-1', '']) {
      expect(() => deviceAclTopic(id), id).toThrow(RangeError);
      expect(() => deviceUplinkTopic(id, 'json'), id).toThrow(RangeError);
    }
  });

  it('builds the shared subscription of a bridge group', () => {
    expect(bridgeSharedSubscription('bridge')).toBe('$share/bridge/terrapulse/v1/devices/+/up/+');
    expect(UPLINK_TOPIC_FILTER).toBe('terrapulse/v1/devices/+/up/+');
    expect(() => bridgeSharedSubscription('a/b')).toThrow(RangeError);
    expect(() => bridgeSharedSubscription('')).toThrow(RangeError);
  });

  it('parses a topic it built', () => {
    expect(parseUplinkTopic(deviceUplinkTopic('tc-7', 'senml'))).toEqual({
      ok: true,
      deviceId: 'tc-7',
      format: 'senml',
    });
  });

  it('rejects a topic with the wrong prefix as TOPIC_INVALID', () => {
    for (const topic of [
      'terrapulse/v2/devices/wm-1/up/json',
      'devices/wm-1/up/json',
      '/terrapulse/v1/devices/wm-1/up/json',
    ]) {
      expect(parseUplinkTopic(topic), topic).toMatchObject({ ok: false, code: 'TOPIC_INVALID' });
    }
  });

  it('rejects a topic with too many or too few levels, or no up level', () => {
    for (const topic of [
      'terrapulse/v1/devices/wm-1/up/json/extra',
      'terrapulse/v1/devices/wm-1/up',
      'terrapulse/v1/devices/wm-1/down/json',
      'terrapulse/v1/devices/wm-1/up/json/',
    ]) {
      expect(parseUplinkTopic(topic), topic).toMatchObject({ ok: false, code: 'TOPIC_INVALID' });
    }
  });

  it('rejects a bad deviceId as TOPIC_INVALID', () => {
    for (const id of ['WM-1', 'a', '-a', 'wm_1', '']) {
      expect(parseUplinkTopic(`terrapulse/v1/devices/${id}/up/json`), id).toMatchObject({
        ok: false,
        code: 'TOPIC_INVALID',
      });
    }
  });

  it('rejects an unknown format as UNSUPPORTED_FORMAT and still names the device', () => {
    const result = parseUplinkTopic('terrapulse/v1/devices/wm-1/up/cbor');
    expect(result).toMatchObject({ ok: false, code: 'UNSUPPORTED_FORMAT', deviceId: 'wm-1' });
    if (!result.ok) expect(result.reason).toContain('cbor');
  });
});
