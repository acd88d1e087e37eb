import {
  type MessageContract,
  messageContracts,
  type TopicSpec,
  topicCatalogue,
  UPLINK_TOPIC_ROOT,
  UplinkFormat,
  uplinkContentType,
} from '../src/index.js';

/** Version of the published contract; bump the minor for additions, the major for breaking changes. */
export const CONTRACT_VERSION = '1.0.0';

const KAFKA_BINDING_VERSION = '0.5.0';
const MQTT_BINDING_VERSION = '0.2.0';

type Json = Record<string, unknown>;

const ref = (path: string): Json => ({ $ref: path });

/** `telemetry.raw` -> `telemetryRaw`: AsyncAPI component keys allow neither dots nor slashes. */
export function channelIdOf(topicName: string): string {
  return topicName.replace(/[.-](\w)/g, (_match, letter: string) => letter.toUpperCase());
}

const uplinkChannelId = (format: UplinkFormat): string =>
  `deviceUplink${format === 'json' ? 'Json' : 'Senml'}`;

function uplinkContract(format: UplinkFormat): MessageContract {
  return format === 'json' ? messageContracts.readingEnvelope : messageContracts.senmlPack;
}

const uplinkDescriptions: Record<UplinkFormat, string> = {
  json:
    'A device publishes a Terrapulse reading envelope (QoS 1). The deviceId in the payload must equal ' +
    'the one in the topic.',
  senml:
    'A device publishes a SenML JSON pack (RFC 8428, QoS 1). Base name urn:dev:tp:{deviceId}: and record ' +
    'names equal to metric ids, with /{dimension value} segments for metrics that have dimensions ' +
    '(e.g. mobility.vehicle_count/truck).',
};

function topicConfiguration(topic: TopicSpec): Json {
  const config: Json = { 'cleanup.policy': [topic.cleanupPolicy], 'retention.ms': topic.retentionMs };
  for (const [key, value] of Object.entries(topic.config ?? {})) {
    config[key] = /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return config;
}

function kafkaMessageName(topic: TopicSpec): string {
  return topic.value.format === 'json' ? topic.value.contract.name : 'RawUplink';
}

function kafkaMessage(topic: TopicSpec): Json {
  const key = { type: 'string', description: topic.key };
  const bindings = { kafka: { key, bindingVersion: KAFKA_BINDING_VERSION } };
  if (topic.value.format === 'bytes') {
    return {
      name: 'RawUplink',
      title: 'Raw uplink',
      summary: topic.value.description,
      contentType: 'application/octet-stream',
      payload: { type: 'string', format: 'binary', description: topic.value.description },
      ...(topic.headers && { headers: ref(`#/components/schemas/${topic.headers.name}`) }),
      bindings,
    };
  }
  const tombstone = topic.cleanupPolicy === 'compact' ? ' A record with a null value deletes its key.' : '';
  return {
    name: topic.value.contract.name,
    title: topic.value.contract.name,
    summary: `${topic.description}.${tombstone}`,
    contentType: 'application/json',
    payload: ref(`#/components/schemas/${topic.value.contract.name}`),
    bindings,
  };
}

function uplinkParts(channels: Json, operations: Json, messages: Json): void {
  for (const format of UplinkFormat.options) {
    const channelId = uplinkChannelId(format);
    const contract = uplinkContract(format);
    channels[channelId] = {
      address: `${UPLINK_TOPIC_ROOT}/{deviceId}/up/${format}`,
      title: `Device uplink (${format})`,
      description: uplinkDescriptions[format],
      servers: [ref('#/servers/mosquitto')],
      parameters: { deviceId: { description: 'Device id: 2 to 63 of a-z, 0-9 and -, first not a dash' } },
      messages: { [contract.name]: ref(`#/components/messages/${contract.name}`) },
    };
    operations[`receive${channelId[0]?.toUpperCase()}${channelId.slice(1)}`] = {
      action: 'receive',
      channel: ref(`#/channels/${channelId}`),
      summary: 'mqtt-bridge receives device uplinks through a shared subscription',
      messages: [ref(`#/channels/${channelId}/messages/${contract.name}`)],
      bindings: { mqtt: { qos: 1, retain: false, bindingVersion: MQTT_BINDING_VERSION } },
    };
    messages[contract.name] = {
      name: contract.name,
      title: contract.name,
      contentType: uplinkContentType[format],
      payload: ref(`#/components/schemas/${contract.name}`),
    };
  }
}

function kafkaParts(channels: Json, operations: Json, messages: Json): void {
  for (const topic of topicCatalogue) {
    const channelId = channelIdOf(topic.name);
    const messageName = kafkaMessageName(topic);
    const capitalized = `${channelId[0]?.toUpperCase()}${channelId.slice(1)}`;
    channels[channelId] = {
      address: topic.name,
      title: topic.name,
      description: topic.description,
      servers: [ref('#/servers/kafka')],
      messages: { [messageName]: ref(`#/components/messages/${messageName}`) },
      bindings: {
        kafka: {
          topic: topic.name,
          partitions: topic.partitions,
          topicConfiguration: topicConfiguration(topic),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    const channelMessages = [ref(`#/channels/${channelId}/messages/${messageName}`)];
    operations[`send${capitalized}`] = {
      action: 'send',
      channel: ref(`#/channels/${channelId}`),
      summary: `Produced by ${topic.producers.join(', ')}`,
      messages: channelMessages,
    };
    operations[`receive${capitalized}`] = {
      action: 'receive',
      channel: ref(`#/channels/${channelId}`),
      summary: `Consumed by ${topic.consumers.join(', ')}`,
      messages: channelMessages,
    };
    messages[messageName] = kafkaMessage(topic);
  }
}

/**
 * The AsyncAPI 3.0 document of the whole pipeline: device uplinks on Mosquitto, then the Kafka
 * topics of the catalogue. `schemas` are the JSON Schemas (draft-07, the dialect AsyncAPI's schema
 * object extends), inlined under components.schemas and referenced by the messages.
 */
export function buildAsyncApi(schemas: Readonly<Record<string, Json>>): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  uplinkParts(channels, operations, messages);
  kafkaParts(channels, operations, messages);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Terrapulse',
      version: CONTRACT_VERSION,
      description:
        'Event-driven IoT data pipeline for territories. Devices publish readings over MQTT; the pipeline ' +
        'validates, aggregates and stores them. Generated from @terrapulse/contracts: do not edit by hand.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      mosquitto: {
        host: 'localhost:1883',
        protocol: 'mqtt',
        description:
          'Device-facing broker; every device has its own credentials and may publish only under its own topic',
        security: [ref('#/components/securitySchemes/deviceCredentials')],
      },
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'Internal event log of the pipeline' },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      securitySchemes: {
        deviceCredentials: {
          type: 'userPassword',
          description:
            'Per-device MQTT username and password, issued by the registry when the device is provisioned',
        },
      },
    },
  };
}
