import { describe, expect, it } from 'vitest';
import { diffArtifacts, generateArtifacts } from '../scripts/artifacts.js';
import { readGeneratedDir } from '../scripts/generated-files.js';

describe('generated contract files', () => {
  const artifacts = generateArtifacts();

  it('are up to date with the schemas (run `npm run generate -w @terrapulse/contracts`)', () => {
    expect(diffArtifacts(artifacts, readGeneratedDir())).toEqual({ stale: [], unexpected: [] });
  });

  it('are generated deterministically', () => {
    expect([...generateArtifacts()]).toEqual([...artifacts]);
  });

  it('include a JSON Schema for every message contract and the AsyncAPI document', () => {
    expect([...artifacts.keys()]).toEqual([
      'asyncapi.json',
      'json-schema/aggregate.schema.json',
      'json-schema/device-record.schema.json',
      'json-schema/normalized-reading.schema.json',
      'json-schema/raw-message-headers.schema.json',
      'json-schema/reading-envelope.schema.json',
      'json-schema/rejection.schema.json',
      'json-schema/senml-pack.schema.json',
      'metric-catalogue.json',
      'rejection-reasons.json',
    ]);
  });

  it('describe the MQTT uplinks and every Kafka topic in AsyncAPI 3.0, with resolvable references', () => {
    const doc = JSON.parse(artifacts.get('asyncapi.json') ?? '{}');
    expect(doc.asyncapi).toBe('3.0.0');
    const addresses = Object.values(doc.channels as Record<string, { address: string }>).map(
      (c) => c.address,
    );
    expect(addresses).toEqual(
      expect.arrayContaining([
        'terrapulse/v1/devices/{deviceId}/up/json',
        'terrapulse/v1/devices/{deviceId}/up/senml',
        'telemetry.raw',
        'telemetry.readings',
        'telemetry.rejected',
        'telemetry.aggregates',
        'registry.devices',
      ]),
    );
    const text = artifacts.get('asyncapi.json') ?? '';
    for (const [, pointer] of text.matchAll(/"\$ref": "#\/([^"]+)"/g)) {
      const target = (pointer ?? '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
      expect(target, pointer).toBeDefined();
    }
  });

  it('end every file with a newline', () => {
    for (const [path, content] of artifacts) expect(content.endsWith('}\n'), path).toBe(true);
  });
});
