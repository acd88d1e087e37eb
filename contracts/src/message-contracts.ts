import type { z } from 'zod';
import { Aggregate } from './aggregate.js';
import { DeviceRecord } from './device-record.js';
import { NormalizedReading } from './normalized-reading.js';
import { RawMessageHeaders } from './raw-message.js';
import { ReadingEnvelope } from './reading-envelope.js';
import { Rejection } from './rejection.js';
import { SenmlPack } from './senml.js';

/** A message schema published to integrators: `name` names its JSON Schema and AsyncAPI entries. */
export interface MessageContract {
  readonly name: string;
  /** File name under contracts/generated/json-schema/. */
  readonly file: string;
  readonly schema: z.ZodType;
}

function contract(name: string, file: string, schema: z.ZodType): MessageContract {
  return Object.freeze({ name, file, schema });
}

/** Every message that crosses a process boundary; the generator publishes exactly these. */
export const messageContracts = Object.freeze({
  readingEnvelope: contract('ReadingEnvelope', 'reading-envelope.schema.json', ReadingEnvelope),
  senmlPack: contract('SenmlPack', 'senml-pack.schema.json', SenmlPack),
  rawMessageHeaders: contract('RawMessageHeaders', 'raw-message-headers.schema.json', RawMessageHeaders),
  normalizedReading: contract('NormalizedReading', 'normalized-reading.schema.json', NormalizedReading),
  aggregate: contract('Aggregate', 'aggregate.schema.json', Aggregate),
  rejection: contract('Rejection', 'rejection.schema.json', Rejection),
  deviceRecord: contract('DeviceRecord', 'device-record.schema.json', DeviceRecord),
});
