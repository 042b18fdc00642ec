import type { Caller, PublicUrls } from '@portail/core';
import type { z } from 'zod';
import type { MultipartForm } from './multipart-form';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route at all; finer rules (owner, org role) live in core's permission module.
 * `anonymous-only` routes (register, login, reset…) never look at the caller's credentials.
 */
export type RouteAccess = 'public' | 'authenticated' | 'anonymous-only';

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
  /**
   * An `authenticated` route an account whose email is not confirmed may still call (its own profile,
   * deleting itself, the CSRF token): every other one answers 403 to it (core: `mustConfirmFirst`).
   */
  allowsUnconfirmed?: true;
  params?: P;
  query?: Q;
  body?: B;
  /** The JSON body is a list (udata's reorder), not the usual object. */
  bodyIsList?: boolean;
  /**
   * The body is one string (udata's schedule: a crontab), sent as a JSON string or as `text/plain`,
   * not the usual object.
   */
  bodyIsText?: boolean;
  /** Largest accepted request body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * The route also takes udata's `multipart/form-data` upload (a `file` field): such a request skips
   * the JSON body (its `body` is then undefined) and reaches the implementation as `form`, up to
   * `API_FORM_UPLOAD_MAX_BYTES`.
   */
  acceptsForm?: boolean;
  /**
   * The form's other fields (name → what it is), documented beside `file`; with `formFileOptional` the
   * form may come without a file, as `application/x-www-form-urlencoded` too (udata's parsers read both).
   */
  formFields?: Record<string, string>;
  formFileOptional?: boolean;
  /**
   * A GET route that also answers HEAD (the same implementation, told by `method`): API Gateway gets a
   * HEAD route for it, and the local server sends HEAD to GET routes.
   */
  answersHead?: boolean;
  responses: Record<number, ResponseSpec>;
}

/** A route as its group declares it: `defineGroup` supplies `group` and `operationId` (its key). */
export type GroupRouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> = Omit<RouteDefinition<P, Q, B>, 'group' | 'operationId'>;

type SchemaOf<T, K extends 'params' | 'query' | 'body'> = T extends { [key in K]?: infer S }
  ? S extends z.ZodType
    ? S
    : z.ZodType
  : z.ZodType;

/** The routes of a group as `defineGroup` returns them: each a full table line, typed by its own schemas. */
export type GroupRoutes<G extends string, R extends Record<string, GroupRouteSpec>> = {
  readonly [K in keyof R & string]: RouteDefinition<
    SchemaOf<R[K], 'params'>,
    SchemaOf<R[K], 'query'>,
    SchemaOf<R[K], 'body'>
  > & { readonly group: G; readonly operationId: K };
};

/**
 * Declares the routes of one group (one Lambda function) once: each key is the route's operationId and
 * every route belongs to `group`. The group's `entry.ts` gives `createGroupHandler` this object and one
 * implementation per key (`Implementations`), so a missing or mistyped handler fails to compile.
 */
export function defineGroup<const G extends string, R extends Record<string, GroupRouteSpec>>(
  group: G,
  routes: R,
): GroupRoutes<G, R> {
  const lines = Object.entries(routes).map(([operationId, route]) => [
    operationId,
    { ...route, group, operationId },
  ]);
  return Object.fromEntries(lines) as GroupRoutes<G, R>;
}

/** One route outside a group (tests of the pipeline): the same line `defineGroup` builds. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return route;
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The path API Gateway knows a route by. HTTP APIs refuse route paths that end with "/" (and CDK checks
 * it) but route a request for `/a/b/` to the route `/a/b`; so udata's paths, which end with a slash,
 * are declared without it, clients keep sending the slash, and the function receives
 * `routeKey` = `GET /a/b` for the table's `GET /a/b/`.
 */
export function gatewayPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export function gatewayRouteKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${gatewayPath(route.path)}`;
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
  /** Request cookies by name (sessions). */
  cookies: Record<string, string>;
  /** Request headers, lower-case names. */
  headers: Record<string, string | undefined>;
  /**
   * The client's address: the viewer's as CloudFront reports it when the request carries the origin
   * secret the distribution adds, else the connection's as API Gateway saw it (never a forwarding
   * header a client could write); see viewer-address.ts.
   */
  sourceIp: string;
  /** What the route's prefetch read while the caller was being resolved (see `prefetching`). */
  prefetched?: Promise<unknown>;
  /** A `multipart/form-data` body, on `acceptsForm` routes only (`body` is then undefined). */
  form?: MultipartForm;
  /** The request's method: `HEAD` on an `answersHead` route asked with HEAD, else the route's. */
  method: string;
}

/** The validated input of a request, all a prefetch may look at. */
export type RouteInput<R extends RouteDefinition> = Pick<RouteRequest<R>, 'params' | 'query' | 'body'>;

export interface HttpResult {
  status: number;
  /** Serialized as JSON unless `rawBody` or `binaryBody` is given. */
  body?: unknown;
  rawBody?: string;
  /** Bytes sent as they are (base64-encoded between API Gateway and the function). */
  binaryBody?: Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** `Set-Cookie` values. */
  cookies?: string[];
}

export type RouteHandler<R extends RouteDefinition> = ((request: RouteRequest<R>) => Promise<HttpResult>) & {
  /** A read the group handler starts, from the input alone, while it resolves the caller. */
  prefetch?: (input: RouteInput<R>) => Promise<unknown>;
};

/**
 * A handler whose first read needs no caller (a dataset by id or slug): the group handler starts it in
 * parallel with resolving the caller (an API token, a session), so the two cost one round trip, not
 * two. The handler still judges access once the caller is known; a failed prefetch throws there.
 */
export function prefetching<R extends RouteDefinition, P>(
  prefetch: (input: RouteInput<R>) => Promise<P>,
  handle: (request: RouteRequest<R>, prefetched: P) => Promise<HttpResult>,
): RouteHandler<R> {
  const handler = async (request: RouteRequest<R>) =>
    handle(request, await ((request.prefetched as Promise<P> | undefined) ?? prefetch(request)));
  return Object.assign(handler, { prefetch });
}

/** The implementation of every route of a group, each typed against its own route. */
export type Implementations<Routes extends Record<string, RouteDefinition>> = {
  readonly [K in keyof Routes]: RouteHandler<Routes[K]>;
};
