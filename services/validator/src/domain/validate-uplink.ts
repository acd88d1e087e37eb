import {
  type JsonValue,
  type NormalizedReading,
  parseJsonPayload,
  type Rejection,
} from '@terrapulse/contracts';
import { DeadLetterFactory, type RejectionCause } from './dead-letter.js';
import { decodeEnvelope } from './decode-envelope.js';
import { decodeSenml } from './decode-senml.js';
import type { DecodedItem, DecodedUplink } from './decoded-uplink.js';
import type { DeviceLookup } from './device-table.js';
import { normalizeReading, type ReadingContext } from './normalize-reading.js';
import type { RawUplink } from './raw-uplink.js';
import { UplinkMetaReader } from './uplink-meta-reader.js';
import type { ValidationPolicy } from './validation-policy.js';

/** Everything one raw message turns into; both lists go to Kafka under `key`. */
export interface UplinkValidation {
  /** deviceId of the topic when it parses, else the MQTT topic: one device stays on one partition. */
  readonly key: string;
  readonly readings: NormalizedReading[];
  readonly rejections: Rejection[];
}

const EMPTY = new Uint8Array(0);

export interface UplinkValidatorOptions {
  readonly lookup: DeviceLookup;
  readonly policy: ValidationPolicy;
}

export type UplinkValidator = (uplink: RawUplink, partition: number) => UplinkValidation;

/**
 * Validates raw messages. Message-level checks come first and refuse the message whole, with one
 * dead letter: headers, topic, size, JSON, schema, identity, registry. Reading-level checks then
 * run per reading: the valid readings pass and every invalid one gets its own dead letter,
 * carrying the whole original bytes and the reading's position in its issue path, so nothing
 * valid is lost and nothing invalid is silent. Same message and registry, same result.
 */
export function createUplinkValidator(options: UplinkValidatorOptions): UplinkValidator {
  const { lookup, policy } = options;
  const metaReader = new UplinkMetaReader();
  return (uplink, partition) => {
    const raw = uplink.value ?? EMPTY;
    const meta = metaReader.read(uplink);
    if (!meta.ok) {
      const letters = new DeadLetterFactory({
        ...meta,
        topic: meta.mqttTopic,
        raw,
        partition,
        offset: uplink.offset,
      });
      const detail = 'record headers of telemetry.raw are invalid (bridge bug)';
      const rejection = letters.create({ reason: 'TOPIC_INVALID', detail, issues: meta.issues });
      return { key: meta.mqttTopic, readings: [], rejections: [rejection] };
    }
    const { mqttTopic, receivedAt, topic } = meta;
    const deviceIdHint = topic.deviceId;
    const letters = new DeadLetterFactory({
      topic: mqttTopic,
      ...(deviceIdHint !== undefined && { deviceIdHint }),
      receivedAt,
      raw,
      partition,
      offset: uplink.offset,
    });
    const key = deviceIdHint ?? mqttTopic;
    const refuse = (cause: RejectionCause): UplinkValidation => ({
      key,
      readings: [],
      rejections: [letters.create(cause)],
    });

    if (!topic.ok) return refuse({ reason: topic.code, detail: topic.reason });
    const json = parseJsonPayload(raw);
    if (!json.ok) return refuse({ reason: json.code, detail: json.reason });
    const decoded = decode(json.value, topic.format, topic.deviceId, receivedAt);
    if (!decoded.ok) return refuse(decoded);
    if (decoded.deviceId !== topic.deviceId) {
      const detail = `payload names device ${decoded.deviceId}, topic is of ${topic.deviceId}`;
      return refuse({ reason: 'IDENTITY_MISMATCH', detail, issues: [{ path: 'deviceId', message: detail }] });
    }
    const device = lookup(topic.deviceId);
    if (device === undefined) {
      return refuse({ reason: 'UNKNOWN_DEVICE', detail: `device ${topic.deviceId} is not in the registry` });
    }
    if (device.stateRejection !== undefined) {
      return refuse({
        reason: device.stateRejection,
        detail: `device ${topic.deviceId} is ${device.record.state}`,
      });
    }
    const ctx: ReadingContext = {
      deviceId: topic.deviceId,
      device,
      envelopeTs: decoded.envelopeTs,
      seq: decoded.seq,
      receivedAt,
      policy,
    };
    return { key, ...checkReadings(decoded.items, ctx, letters) };
  };
}

function checkReadings(
  items: readonly DecodedItem[],
  ctx: ReadingContext,
  letters: DeadLetterFactory,
): Omit<UplinkValidation, 'key'> {
  const readings: NormalizedReading[] = [];
  const rejections: Rejection[] = [];
  for (const item of items) {
    if (!item.ok) {
      rejections.push(letters.create(item));
      continue;
    }
    const checked = normalizeReading(item.reading, ctx);
    if (checked.ok) {
      readings.push(checked.reading);
    } else {
      const issues = [{ path: `${item.path}.${checked.field}`, message: checked.detail }];
      rejections.push(
        letters.create({ reason: checked.reason, detail: `${item.path}: ${checked.detail}`, issues }),
      );
    }
  }
  return { readings, rejections };
}

function decode(
  value: JsonValue,
  format: 'json' | 'senml',
  topicDeviceId: string,
  receivedAt: number,
): DecodedUplink {
  return format === 'json' ? decodeEnvelope(value) : decodeSenml(value, topicDeviceId, receivedAt);
}
