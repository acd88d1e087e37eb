import type { JsonValue, NormalizedReading, Rejection } from '@terrapulse/contracts';
import { DeadLetterFactory, type RejectionCause } from './dead-letter.js';
import { decodeEnvelope } from './decode-envelope.js';
import { decodeSenml } from './decode-senml.js';
import { type DecodedItem, type DecodedUplink, failure } from './decoded-uplink.js';
import type { DeviceLookup } from './device-table.js';
import { normalizeReading, type ReadingContext } from './normalize-reading.js';
import type { RawUplink } from './raw-uplink.js';
import { scanNativeEnvelope } from './scan-native-envelope.js';
import { nestsTooDeep, parseUplinkJson } from './uplink-json.js';
import { UplinkMetaReader } from './uplink-meta-reader.js';
import type { ValidationPolicy } from './validation-policy.js';
import { decodeWellFormedEnvelope } from './well-formed-envelope.js';

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
    const message: MessageSource = {
      uplink,
      raw,
      partition,
      mqttTopic,
      receivedAt,
      deviceIdHint: topic.deviceId,
    };

    if (!topic.ok) return refuse(message, { reason: topic.code, detail: topic.reason });
    const decoded =
      (topic.format === 'json' ? scanNativeEnvelope(raw, topic.deviceId) : undefined) ??
      parseAndDecode(raw, topic.format, topic.deviceId, receivedAt);
    if (!decoded.ok) return refuse(message, decoded);
    if (decoded.deviceId !== topic.deviceId) {
      const detail = `payload names device ${decoded.deviceId}, topic is of ${topic.deviceId}`;
      return refuse(message, {
        reason: 'IDENTITY_MISMATCH',
        detail,
        issues: [{ path: 'deviceId', message: detail }],
      });
    }
    const device = lookup(topic.deviceId);
    if (device === undefined) {
      const detail = `device ${topic.deviceId} is not in the registry`;
      return refuse(message, { reason: 'UNKNOWN_DEVICE', detail });
    }
    if (device.stateRejection !== undefined) {
      const detail = `device ${topic.deviceId} is ${device.record.state}`;
      return refuse(message, { reason: device.stateRejection, detail });
    }
    const ctx: ReadingContext = {
      deviceId: topic.deviceId,
      device,
      envelopeTs: decoded.envelopeTs,
      seq: decoded.seq,
      receivedAt,
      policy,
    };
    return checkReadings(decoded.items, ctx, message);
  };
}

/** What the dead letters of a message with valid headers are made of, until one is needed. */
interface MessageSource {
  readonly uplink: RawUplink;
  readonly raw: Uint8Array;
  readonly partition: number;
  readonly mqttTopic: string;
  readonly receivedAt: number;
  readonly deviceIdHint: string | undefined;
}

/** deviceId of the topic when it parses, else the MQTT topic: one device stays on one partition. */
const keyOf = (message: MessageSource): string => message.deviceIdHint ?? message.mqttTopic;

/** Most messages are valid: their dead-letter factory is built only when one is refused. */
function deadLetters(message: MessageSource): DeadLetterFactory {
  const { deviceIdHint } = message;
  return new DeadLetterFactory({
    topic: message.mqttTopic,
    ...(deviceIdHint !== undefined && { deviceIdHint }),
    receivedAt: message.receivedAt,
    raw: message.raw,
    partition: message.partition,
    offset: message.uplink.offset,
  });
}

function refuse(message: MessageSource, cause: RejectionCause): UplinkValidation {
  return { key: keyOf(message), readings: [], rejections: [deadLetters(message).create(cause)] };
}

function checkReadings(
  items: readonly DecodedItem[],
  ctx: ReadingContext,
  message: MessageSource,
): UplinkValidation {
  const readings: NormalizedReading[] = [];
  const rejections: Rejection[] = [];
  let letters: DeadLetterFactory | undefined;
  for (const item of items) {
    if (!item.ok) {
      letters ??= deadLetters(message);
      rejections.push(letters.create(item));
      continue;
    }
    const checked = normalizeReading(item.reading, ctx);
    if (checked.ok) {
      readings.push(checked.reading);
    } else {
      const issues = [{ path: `${item.path}.${checked.field}`, message: checked.detail }];
      letters ??= deadLetters(message);
      rejections.push(
        letters.create({ reason: checked.reason, detail: `${item.path}: ${checked.detail}`, issues }),
      );
    }
  }
  return { key: keyOf(message), readings, rejections };
}

/** The JSON parse, then the decoders; a message that is not JSON is refused for it. */
function parseAndDecode(
  raw: Uint8Array,
  format: 'json' | 'senml',
  topicDeviceId: string,
  receivedAt: number,
): DecodedUplink {
  const json = parseUplinkJson(raw);
  if (!json.ok) return failure(json.code, json.reason);
  return (
    (format === 'json' ? decodeWellFormedEnvelope(json.value, topicDeviceId) : undefined) ??
    decode(json.value, raw, format, topicDeviceId, receivedAt)
  );
}

/** The general decoders, behind the contract's JSON depth bound (which they assume). */
function decode(
  value: JsonValue,
  raw: Uint8Array,
  format: 'json' | 'senml',
  topicDeviceId: string,
  receivedAt: number,
): DecodedUplink {
  const tooDeep = nestsTooDeep(value, raw);
  if (tooDeep !== undefined) return failure(tooDeep.code, tooDeep.reason);
  return format === 'json' ? decodeEnvelope(value) : decodeSenml(value, topicDeviceId, receivedAt);
}
