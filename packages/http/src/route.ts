import type { Caller, PublicUrls } from '@portail/core';
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route at all; finer rules (owner, org role) live in core's permission module. */
export type RouteAccess = 'public' | 'authenticated';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omitted for empty bodies (204) or non-JSON content. */
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

/** One line of the route table: everything the CDK API, the local server and OpenAPI need. */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** API Gateway syntax: `/api/1/datasets/{id}/`. */
  path: string;
  operationId: string;
  /** The Lambda function (route group) serving it: `functions/<group>/entry.ts`. */
  group: string;
  summary: string;
  description?: string;
  tags: string[];
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** Largest accepted request body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  responses: Record<number, ResponseSpec>;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return route;
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

type Parsed<T> = Exclude<T, undefined> extends z.ZodType ? z.output<Exclude<T, undefined>> : undefined;

/** What an implementation receives: validated input plus the request's context. */
export interface RouteRequest<R extends RouteDefinition> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
  caller: Caller;
  urls: PublicUrls;
  requestId: string;
  /** The request URL's origin and path, for building pagination links. */
  url: URL;
}

export interface HttpResult {
  status: number;
  /** Serialized as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RouteHandler<R extends RouteDefinition> = (request: RouteRequest<R>) => Promise<HttpResult>;
