import { z } from 'zod';
import {
  canonicalJson,
  type MessageContract,
  MetricId,
  messageContracts,
  metricCatalogue,
  RejectionReason,
  rejectionReasonDescriptions,
  UNIT_ALIASES,
} from '../src/index.js';
import { buildAsyncApi, CONTRACT_VERSION } from './asyncapi.js';

type Json = Record<string, unknown>;
type Target = 'draft-2020-12' | 'draft-07';

/**
 * JSON Schema of what travels on the wire (`io: 'input'`): header codecs appear as the strings they
 * decode, and plain objects do not forbid extra keys because their consumers strip them.
 */
function jsonSchemaOf(contract: MessageContract, target: Target): Json {
  const schema = z.toJSONSchema(contract.schema, { io: 'input', target, unrepresentable: 'throw' }) as Json;
  return { ...schema, title: contract.name };
}

function withoutDialect(schema: Json): Json {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function metricCatalogueDocument(): Json {
  return {
    description: 'Terrapulse metric catalogue: values are converted to `unit`, then checked against `range`.',
    version: CONTRACT_VERSION,
    unitAliases: UNIT_ALIASES,
    metrics: MetricId.options.map((id) => metricCatalogue[id]),
  };
}

function rejectionReasonsDocument(): Json {
  return {
    description: 'Reason codes of the records on telemetry.rejected.',
    version: CONTRACT_VERSION,
    reasons: RejectionReason.options.map((code) => ({
      code,
      description: rejectionReasonDescriptions[code],
    })),
  };
}

/**
 * Every generated file, path relative to contracts/generated/ -> exact content. Pure, so the
 * up-to-date test and `--check` compare against precisely what `generate` would write.
 */
export function generateArtifacts(): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  const asyncApiSchemas: Record<string, Json> = {};
  for (const contract of Object.values(messageContracts)) {
    files.set(`json-schema/${contract.file}`, canonicalJson(jsonSchemaOf(contract, 'draft-2020-12')));
    asyncApiSchemas[contract.name] = withoutDialect(jsonSchemaOf(contract, 'draft-07'));
  }
  files.set('asyncapi.json', canonicalJson(buildAsyncApi(asyncApiSchemas)));
  files.set('metric-catalogue.json', canonicalJson(metricCatalogueDocument()));
  files.set('rejection-reasons.json', canonicalJson(rejectionReasonsDocument()));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface ArtifactDiff {
  /** Files whose content on disk differs from what the generator produces, or that are missing. */
  readonly stale: string[];
  /** Files on disk the generator no longer produces. */
  readonly unexpected: string[];
}

export function diffArtifacts(
  expected: ReadonlyMap<string, string>,
  onDisk: ReadonlyMap<string, string>,
): ArtifactDiff {
  const stale = [...expected].filter(([path, content]) => onDisk.get(path) !== content).map(([path]) => path);
  const unexpected = [...onDisk.keys()].filter((path) => !expected.has(path));
  return { stale, unexpected };
}
