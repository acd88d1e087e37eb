import { z } from 'zod';
import { DeviceId } from './primitives.js';
import type { RejectionReason } from './rejection.js';

/**
 * MQTT topic layout. The version segment lets a future layout coexist with deployed firmware;
 * the `up` segment leaves room for `down` (commands) without touching uplink ACLs.
 */
export const UPLINK_TOPIC_ROOT = 'terrapulse/v1/devices';

/** `json` = the Terrapulse reading envelope; `senml` = a SenML JSON pack (RFC 8428). */
export const UplinkFormat = z.enum(['json', 'senml']).describe('Payload format, last topic segment');
export type UplinkFormat = z.infer<typeof UplinkFormat>;

/** Content type per format, as carried in the `tp-content-type` Kafka header. */
export const uplinkContentType = Object.freeze({
  json: 'application/json',
  senml: 'application/senml+json',
} as const satisfies Record<UplinkFormat, string>);
export type UplinkContentType = (typeof uplinkContentType)[UplinkFormat];

/**
 * Refuses ids that are not DeviceIds. Without this a device id `+` or `#` would turn a
 * per-device ACL into a wildcard that lets a device publish as every other device.
 */
function assertDeviceId(deviceId: string): void {
  if (!DeviceId.safeParse(deviceId).success) {
    throw new RangeError(`invalid deviceId ${JSON.stringify(deviceId)}: 2-63 of a-z, 0-9 and -`);
  }
}

export function deviceUplinkTopic(deviceId: string, format: UplinkFormat): string {
  assertDeviceId(deviceId);
  return `${UPLINK_TOPIC_ROOT}/${deviceId}/up/${format}`;
}

/** What a device's role may publish to (Mosquitto dynamic-security ACL `publishClientSend`). */
export function deviceAclTopic(deviceId: string): string {
  assertDeviceId(deviceId);
  return `${UPLINK_TOPIC_ROOT}/${deviceId}/up/#`;
}

/** Every uplink of every device, whatever the format, so a bad format still reaches a dead letter. */
export const UPLINK_TOPIC_FILTER = `${UPLINK_TOPIC_ROOT}/+/up/+`;

/**
 * Shared subscription of the bridge (MQTT 5 `$share`): instances in the same group split the
 * messages, so adding a bridge adds throughput instead of duplicates.
 */
export function bridgeSharedSubscription(group: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(group)) {
    throw new RangeError(`invalid share group ${JSON.stringify(group)}: letters, digits, _ and - only`);
  }
  return `$share/${group}/${UPLINK_TOPIC_FILTER}`;
}

/**
 * Failures carry the rejection code to use: a well-formed topic with an unknown format is
 * UNSUPPORTED_FORMAT (and still names its device, for the dead letter's deviceIdHint).
 */
export type UplinkTopicParse =
  | { ok: true; deviceId: string; format: UplinkFormat }
  | {
      ok: false;
      code: Extract<RejectionReason, 'TOPIC_INVALID' | 'UNSUPPORTED_FORMAT'>;
      reason: string;
      deviceId?: string;
    };

export function parseUplinkTopic(topic: string): UplinkTopicParse {
  const prefix = `${UPLINK_TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) {
    return { ok: false, code: 'TOPIC_INVALID', reason: `topic does not start with ${prefix}` };
  }
  const segments = topic.slice(prefix.length).split('/');
  const [deviceId = '', up, format = ''] = segments;
  if (segments.length !== 3 || up !== 'up') {
    return {
      ok: false,
      code: 'TOPIC_INVALID',
      reason: `expected ${UPLINK_TOPIC_ROOT}/{deviceId}/up/{format}`,
    };
  }
  if (!DeviceId.safeParse(deviceId).success) {
    return {
      ok: false,
      code: 'TOPIC_INVALID',
      reason: `invalid deviceId ${JSON.stringify(deviceId)} in topic`,
    };
  }
  const parsedFormat = UplinkFormat.safeParse(format);
  if (!parsedFormat.success) {
    const expected = UplinkFormat.options.join(' or ');
    const reason = `unknown format ${JSON.stringify(format)}; expected ${expected}`;
    return { ok: false, code: 'UNSUPPORTED_FORMAT', reason, deviceId };
  }
  return { ok: true, deviceId, format: parsedFormat.data };
}
