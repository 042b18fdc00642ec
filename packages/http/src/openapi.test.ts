import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { listEnvelopeSchema, paginationQuery } from './envelope';
import { buildOpenApiDocument } from './openapi';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { defineRoute } from './route';

const Owner = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Owner' });
const Thing = z
  .object({
    id: z.string(),
    name: z.string(),
    tags: z.array(z.string()).default([]),
    owner: Owner.nullable(),
  })
  .meta({ id: 'Thing' });
const NewThing = z.object({ name: z.string().min(1) }).meta({ id: 'NewThing' });
const thingParams = z.object({ thing: z.string().meta({ description: 'The thing id or slug.' }) });

const routes = [
  defineRoute({
    method: 'GET',
    path: '/api/1/things/',
    operationId: 'listThings',
    group: 'things',
    summary: 'List things',
    tags: ['things'],
    access: 'public',
    query: z.object(paginationQuery),
    responses: { 200: { description: 'A page of things.', schema: listEnvelopeSchema(Thing, 'ThingPage') } },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/1/things/',
    operationId: 'createThing',
    group: 'things',
    summary: 'Create a thing',
    tags: ['things'],
    access: 'authenticated',
    body: NewThing,
    responses: { 201: { description: 'The new thing.', schema: Thing } },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/1/things/{thing}/',
    operationId: 'getThing',
    group: 'things',
    summary: 'Get a thing',
    tags: ['things', 'reading'],
    access: 'public',
    params: thingParams,
    responses: { 200: { description: 'The thing.', schema: Thing }, 410: { description: 'Deleted.' } },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/1/things/{thing}/',
    operationId: 'deleteThing',
    group: 'things',
    summary: 'Delete a thing',
    tags: ['things'],
    access: 'authenticated',
    params: thingParams,
    responses: { 204: { description: 'Deleted.' } },
  }),
];

const doc = buildOpenApiDocument(routes, {
  title: 'Portail',
  version: '1.0.0',
  description: 'Test document',
  serverUrl: 'https://api.example.org',
});

type Operation = {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: object }[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown;
};

function operation(path: string, method: string): Operation {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path} in the document`);
  return found as Operation;
}

/** Every `$ref` string anywhere in a value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
    );
  }
  return [];
}

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1.0 document with the given info and server', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Portail', version: '1.0.0', description: 'Test document' });
    expect(doc.servers).toEqual([{ url: 'https://api.example.org' }]);
  });

  it('puts each route under its path and method, with its operationId', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/1/things/', '/api/1/things/{thing}/']);
    expect(operation('/api/1/things/', 'get').operationId).toBe('listThings');
    expect(operation('/api/1/things/', 'post').operationId).toBe('createThing');
    expect(operation('/api/1/things/{thing}/', 'get').operationId).toBe('getThing');
    expect(operation('/api/1/things/{thing}/', 'delete').operationId).toBe('deleteThing');
  });

  it('declares path parameters as required, with their description', () => {
    expect(operation('/api/1/things/{thing}/', 'get').parameters).toEqual([
      {
        name: 'thing',
        in: 'path',
        required: true,
        description: 'The thing id or slug.',
        schema: { type: 'string' },
      },
      { $ref: '#/components/parameters/XFields' },
    ]);
  });

  it('declares query parameters with defaults as optional, with their bounds', () => {
    const parameters = operation('/api/1/things/', 'get').parameters.filter((parameter) => parameter.name);
    expect(parameters.map((parameter) => [parameter.name, parameter.in, parameter.required])).toEqual([
      ['page', 'query', false],
      ['page_size', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(parameters[1]?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });

  it('describes the JSON request body by reference to its named schema', () => {
    const create = operation('/api/1/things/', 'post');
    expect(create.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } },
    });
    expect(doc.components.schemas.NewThing).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 } },
      required: ['name'],
    });
  });

  it('collects named schemas into components and points every $ref there', () => {
    expect(doc.components.schemas).toHaveProperty('Thing');
    expect(doc.components.schemas).toHaveProperty('ThingPage');
    expect(operation('/api/1/things/{thing}/', 'get').responses['200']?.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/Thing' } },
    });
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all.filter((ref) => !ref.startsWith('#/components/parameters/'))) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
    expect(JSON.stringify(doc)).not.toContain('$defs');
  });

  it('offers the X-Fields mask header on routes answering JSON, and its 400', () => {
    expect(doc.components.parameters.XFields).toMatchObject({
      name: 'X-Fields',
      in: 'header',
      required: false,
    });
    const get = operation('/api/1/things/{thing}/', 'get');
    expect(get.parameters).toContainEqual({ $ref: '#/components/parameters/XFields' });
    expect(get.responses).toHaveProperty('400');
    expect(operation('/api/1/things/{thing}/', 'delete').parameters).not.toContainEqual({
      $ref: '#/components/parameters/XFields',
    });
  });

  it('keeps one component per named schema, however many routes use it', () => {
    // Thing (which refers to Owner) is served by three routes; it is one schema, not Thing + ThingOutput.
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'NewThing',
      'Owner',
      'Problem',
      'Thing',
      'ThingPage',
    ]);
    expect(doc.components.schemas.Thing).toMatchObject({
      properties: { owner: { anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] } },
    });
  });

  it('names the input form of a schema apart when it differs from the output form', () => {
    const upsert = buildOpenApiDocument(
      [
        defineRoute({
          method: 'PUT',
          path: '/api/1/things/{thing}/',
          operationId: 'replaceThing',
          group: 'things',
          summary: 'Replace a thing',
          tags: ['things'],
          access: 'public',
          params: thingParams,
          body: Thing,
          responses: { 200: { description: 'The thing.', schema: Thing } },
        }),
      ],
      { title: 't', version: '1', description: 'd', serverUrl: 'https://api.example.org' },
    );
    const replace = upsert.paths['/api/1/things/{thing}/']?.put as Operation;
    const bodyRef = refs(replace.requestBody)[0];
    const responseRef = refs(replace.responses['200'])[0];
    expect(bodyRef).not.toBe(responseRef);
    // `tags` has a default: optional on input, always present on output.
    const input = upsert.components.schemas[String(bodyRef).split('/').pop() ?? ''];
    const output = upsert.components.schemas[String(responseRef).split('/').pop() ?? ''];
    expect(input?.required).not.toContain('tags');
    expect(output?.required).toContain('tags');
  });

  it('answers errors with application/problem+json, by reference to Problem', () => {
    const problem = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
    const create = operation('/api/1/things/', 'post').responses;
    for (const status of ['400', '413', '415', '500']) expect(create[status]?.content).toEqual(problem);
    const get = operation('/api/1/things/{thing}/', 'get').responses;
    for (const status of ['400', '404', '410', '500']) expect(get[status]?.content).toEqual(problem);
    expect(doc.components.schemas.Problem).toMatchObject({
      properties: { type: {}, title: {}, status: {}, detail: {}, message: {}, errors: {} },
    });
  });

  it('keeps the description a route gives to an error status', () => {
    expect(operation('/api/1/things/{thing}/', 'get').responses['410']?.description).toBe('Deleted.');
  });

  it('does not announce body errors on a route without a body', () => {
    const list = operation('/api/1/things/', 'get').responses;
    expect(list).not.toHaveProperty('413');
    expect(list).not.toHaveProperty('415');
    expect(list).not.toHaveProperty('404');
  });

  it('describes an empty response without content', () => {
    expect(operation('/api/1/things/{thing}/', 'delete').responses['204']).toEqual({
      description: 'Deleted.',
    });
  });

  it('requires the X-API-KEY header on authenticated routes only', () => {
    expect(doc.components.securitySchemes).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
    });
    expect(operation('/api/1/things/', 'post').security).toEqual([{ apiKey: [] }]);
    expect(operation('/api/1/things/', 'get').security).toBeUndefined();
  });

  it('lists each tag once, sorted', () => {
    expect(doc.tags).toEqual([{ name: 'reading' }, { name: 'things' }]);
  });

  it('survives a JSON round trip (it is served as swagger.json)', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
