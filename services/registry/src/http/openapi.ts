import { z } from 'zod';
import { ErrorBody } from './schemas/common.js';

export interface RouteDoc {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path syntax: /api/v1/devices/{id}. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** @default application/json */
  readonly bodyContentType?: string;
  /** Status -> description and schema (omit the schema for an empty answer). */
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  /** No bearer token needed. */
  readonly public?: boolean;
}

type Json = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: toSchema(ErrorBody, 'output') } },
});

/**
 * The routes' own descriptions, collected as routes register, turned into an OpenAPI 3.1 document
 * whose schemas are generated from the same zod schemas the handlers parse with.
 */
export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  document(info: { title: string; version: string }): Json {
    const paths: Record<string, Record<string, Json>> = {};
    for (const route of this.routes) {
      const operation: Json = { summary: route.summary, tags: [route.tag] };
      const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
      if (parameters.length > 0) operation.parameters = parameters;
      if (route.body) {
        operation.requestBody = {
          required: true,
          content: {
            [route.bodyContentType ?? 'application/json']: { schema: toSchema(route.body, 'input') },
          },
        };
      }
      const responses: Record<string, Json> = {};
      for (const [status, r] of Object.entries(route.responses)) {
        responses[status] = r.schema
          ? {
              description: r.description,
              content: { 'application/json': { schema: toSchema(r.schema, 'output') } },
            }
          : { description: r.description };
      }
      if (!route.public) {
        responses['401'] ??= errorResponse('Missing or unknown token');
        operation.security = [{ bearer: [] }];
      }
      if (route.body || route.query) responses['400'] ??= errorResponse('Invalid request, with field issues');
      operation.responses = responses;
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, Json>)[route.method] = operation;
    }
    return {
      openapi: '3.1.0',
      info: {
        ...info,
        description:
          'Terrapulse device registry: onboarding, lifecycle, per-device MQTT credentials, bulk import, health, audit.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}

function parametersOf(schema: z.ZodObject | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}
