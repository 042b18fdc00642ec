import { RDF_FORMATS, type RdfFormat } from '@portail/core';
import type { GroupRouteSpec, HttpResult, RouteDefinition, RouteHandler, RouteRequest } from '@portail/http';

/** The extensions a catalogue URL may end with, and what each asks for (udata's names). */
export const RDF_ROUTE_EXTENSIONS = {
  jsonld: 'jsonld',
  ttl: 'ttl',
  rdf: 'rdf',
  xml: 'rdf',
  nt: 'nt',
} as const satisfies Record<string, RdfFormat>;
type Extension = keyof typeof RDF_ROUTE_EXTENSIONS;
const EXTENSIONS = Object.keys(RDF_ROUTE_EXTENSIONS) as Extension[];

type Named<Name extends string, T> = { [K in Name | `${Name}${Capitalize<Extension>}`]: T };

const capitalize = (value: string) => `${value[0]!.toUpperCase()}${value.slice(1)}`;

const rdfResponses = (what: string) => ({
  200: {
    description: `${what} in DCAT-AP: JSON-LD, Turtle, RDF/XML or N-Triples (by extension, else by \`Accept\`, JSON-LD by default).`,
    contentType: 'application/ld+json',
  },
  400: { description: 'Invalid paging or filters.' },
  404: { description: 'Unknown (or private) object, or a page past the last.' },
  406: { description: '`Accept` names no RDF syntax Portail writes.' },
});

/**
 * One route per way of asking for the same RDF document: the bare path (content negotiation) and one
 * literal path per extension (API Gateway paths take a parameter only as a whole segment).
 */
export function rdfRoutes<const Name extends string, Spec extends Omit<GroupRouteSpec, 'path' | 'responses'>>(
  name: Name,
  path: string,
  what: string,
  spec: Spec,
): Named<Name, Spec & { path: string; responses: ReturnType<typeof rdfResponses> }> {
  const entries: [string, unknown][] = [[name, { ...spec, path, responses: rdfResponses(what) }]];
  for (const extension of EXTENSIONS) {
    entries.push([
      `${name}${capitalize(extension)}`,
      {
        ...spec,
        path: `${path}.${extension}`,
        summary: `${spec.summary} (.${extension})`,
        responses: rdfResponses(what),
      },
    ]);
  }
  return Object.fromEntries(entries) as Named<
    Name,
    Spec & { path: string; responses: ReturnType<typeof rdfResponses> }
  >;
}

type Family<Name extends string> = Name | `${Name}${Capitalize<Extension>}`;

/**
 * The handlers of `rdfRoutes(name, …)`: `answer` gets the format asked for by extension, or null for
 * the bare path. The routes of one family share their schemas, so one answer serves them all.
 */
export function rdfHandlers<Routes extends Record<string, RouteDefinition>, const Name extends string>(
  name: Name & keyof Routes,
  answer: (request: RouteRequest<Routes[Name]>, format: RdfFormat | null) => Promise<HttpResult>,
): { [K in Family<Name>]: RouteHandler<Routes[K & keyof Routes]> } {
  const entries: [string, unknown][] = [
    [name, (request: RouteRequest<Routes[Name]>) => answer(request, null)],
  ];
  for (const extension of EXTENSIONS) {
    const format = RDF_ROUTE_EXTENSIONS[extension];
    entries.push([
      `${name}${capitalize(extension)}`,
      (request: RouteRequest<Routes[Name]>) => answer(request, format),
    ]);
  }
  return Object.fromEntries(entries) as { [K in Family<Name>]: RouteHandler<Routes[K & keyof Routes]> };
}

export function rdfAnswer(body: string, format: RdfFormat): HttpResult {
  return {
    status: 200,
    rawBody: body,
    contentType: `${RDF_FORMATS[format].contentType}; charset=utf-8`,
    headers: { vary: 'Accept' },
  };
}
