import * as z from 'zod';
import { MAX_FIELD_MASK_LENGTH } from './field-mask';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem';
import type { RouteDefinition } from './route';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  tags: { name: string }[];
}

/** Collects named schemas (zod `.meta({ id })`) into `components.schemas` and points refs there. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as JsonSchema;
    const {
      $schema: _ignored,
      $defs,
      ...root
    } = converted as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const definitions = $defs ?? {};
    const renames = new Map<string, string>(Object.keys(definitions).map((id) => [id, id]));
    const rewrite = (value: JsonSchema): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_match, id: string) => {
          return JSON.stringify(`#/components/schemas/${renames.get(id) ?? id}`);
        }),
      );
    // Compare with refs already pointing at components (stored definitions have them), otherwise any
    // schema that refers to another one looks different on its second use and gets a duplicate.
    // A rename can make a referring schema differ in turn, hence the loop.
    let renamed = true;
    while (renamed) {
      renamed = false;
      for (const [id, definition] of Object.entries(definitions)) {
        const existing = this.components[id];
        if (renames.get(id) !== id || !existing) continue;
        if (JSON.stringify(existing) !== JSON.stringify(rewrite(definition))) {
          renames.set(id, `${id}${io === 'input' ? 'Input' : 'Output'}`);
          renamed = true;
        }
      }
    }
    for (const [id, definition] of Object.entries(definitions)) {
      this.components[renames.get(id) ?? id] = rewrite(definition);
    }
    return rewrite(root);
  }
}

function parameters(collector: SchemaCollector, schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const converted = collector.convert(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(converted.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (converted.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** udata's `X-Fields` header, offered on every route that answers JSON (see field-mask.ts). */
const FIELD_MASK_PARAMETER = {
  name: 'X-Fields',
  in: 'header',
  required: false,
  description:
    'A field mask (udata / flask-restx syntax): names separated by commas, `field{…}` to mask a nested ' +
    'object or each item of a list, `*` for every other field, e.g. `data{id,title,resources{id,url}},total`. ' +
    'Named fields missing from the object are null. A malformed mask answers 400.',
  schema: { type: 'string', maxLength: MAX_FIELD_MASK_LENGTH },
};

/** The route's form fields other than `file`. */
function formFieldsSchema(route: RouteDefinition) {
  return Object.fromEntries(
    Object.entries(route.formFields ?? {}).map(([name, description]) => [
      name,
      { type: 'string', description },
    ]),
  );
}

/** udata's upload form: the file in a part named `file`, and the route's other fields. */
function formUploadSchema(route: RouteDefinition) {
  const fields = formFieldsSchema(route);
  return {
    type: 'object',
    properties: {
      file: { type: 'string', format: 'binary', description: 'The file, with its name.' },
      ...fields,
    },
    ...(route.formFileOptional ? {} : { required: ['file'] }),
  };
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input: `errors` names each field and what is wrong with it.',
  401: 'Not authenticated, or an invalid, revoked or expired API token (the message says which).',
  403: 'Not allowed; among the reasons, an account whose email is not confirmed yet (the message says what to do).',
  404: 'Not found.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  500: 'Unexpected error (quote `request_id`).',
};

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApiDocument(
  routes: readonly RouteDefinition[],
  info: { title: string; version: string; description: string; serverUrl: string },
): OpenApiDocument {
  const collector = new SchemaCollector();
  const problem = { $ref: `#/components/schemas/${ProblemSchema.meta()?.id ?? 'Problem'}` };
  collector.convert(ProblemSchema, 'output');
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const route of routes) {
    for (const tag of route.tags) tags.add(tag);
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema
          ? {
              content: {
                [spec.contentType ?? 'application/json']: {
                  schema: collector.convert(spec.schema, 'output'),
                },
              },
            }
          : spec.contentType
            ? { content: { [spec.contentType]: {} } }
            : {}),
      };
    }
    const answersJson = Object.entries(route.responses).some(
      ([status, spec]) =>
        Number(status) < 300 && spec.schema !== undefined && /json/.test(spec.contentType ?? 'json'),
    );
    const errorStatuses = [
      ...(route.params || route.query || route.body || answersJson ? [400] : []),
      ...(route.access === 'authenticated' ? [401] : []),
      ...(route.access === 'authenticated' && !route.allowsUnconfirmed ? [403] : []),
      ...(route.params ? [404] : []),
      ...(route.body ? [413, 415] : route.acceptsForm ? [413] : []),
      500,
    ];
    for (const status of errorStatuses) {
      responses[String(status)] ??= {
        description: STANDARD_ERRORS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problem } },
      };
    }
    for (const [status, spec] of Object.entries(route.responses)) {
      if (Number(status) >= 400 && !spec.schema) {
        responses[status] = {
          description: spec.description,
          content: { [PROBLEM_CONTENT_TYPE]: { schema: problem } },
        };
      }
    }
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      parameters: [
        ...parameters(collector, route.params, 'path'),
        ...parameters(collector, route.query, 'query'),
        ...(answersJson ? [{ $ref: '#/components/parameters/XFields' }] : []),
      ],
      ...(route.body || route.acceptsForm
        ? {
            requestBody: {
              required: true,
              content: {
                ...(route.body
                  ? { 'application/json': { schema: collector.convert(route.body, 'input') } }
                  : {}),
                ...(route.body && route.bodyIsText
                  ? { 'text/plain': { schema: collector.convert(route.body, 'input') } }
                  : {}),
                ...(route.acceptsForm ? { 'multipart/form-data': { schema: formUploadSchema(route) } } : {}),
                ...(route.formFileOptional
                  ? {
                      'application/x-www-form-urlencoded': {
                        schema: { type: 'object', properties: formFieldsSchema(route) },
                      },
                    }
                  : {}),
              },
            },
          }
        : {}),
      responses,
      ...(route.access === 'authenticated' ? { security: [{ apiKey: [] }] } : {}),
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: collector.components,
      parameters: { XFields: FIELD_MASK_PARAMETER },
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } },
    },
    tags: [...tags].sort().map((name) => ({ name })),
  };
}
