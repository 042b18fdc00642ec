import middy from '@middy/core';
import {
  ANONYMOUS,
  type Caller,
  CONFIRM_FIRST,
  ForbiddenError,
  isDomainError,
  mustConfirmFirst,
  NotFoundError,
  TooManyRequestsError,
} from '@portail/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { applyFieldMask, FIELD_MASK_HEADER, type FieldMask, parseFieldMask } from './field-mask';
import { endInvocation, logger, startInvocation } from './logger';
import { parseInput } from './parse-request';
import { internalProblem, problemOf } from './problem';
import { problemResponse, toResponse } from './respond';
import {
  gatewayPath,
  gatewayRouteKey,
  type HttpResult,
  type Implementations,
  type RouteDefinition,
  type RouteHandler,
  type RouteRequest,
  routeKey,
} from './route';
import { publicUrls, requestUrl } from './urls';
import { clientAddress, withoutOriginSecret } from './viewer-address';

type AnyHandler = RouteHandler<RouteDefinition>;

function parseCookies(cookies: string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const cookie of cookies ?? []) {
    const separator = cookie.indexOf('=');
    if (separator > 0) result[cookie.slice(0, separator).trim()] = cookie.slice(separator + 1).trim();
  }
  return result;
}

/**
 * udata's `X-Fields`: applied once here, after presentation, to what a route answers as JSON with a
 * success status (any method, as flask-restx does); problems, redirects and raw bodies are left whole.
 */
function masked(result: HttpResult, mask: FieldMask): HttpResult {
  const json = result.contentType === undefined || /[/+]json\b/i.test(result.contentType);
  if (result.body === undefined || result.rawBody !== undefined || !json) return result;
  if (result.status < 200 || result.status >= 300) return result;
  return { ...result, body: applyFieldMask(result.body, mask) };
}

/** Finds who is calling (see auth.ts). Injected so a group without credentials never loads the store. */
export type CallerResolver = (
  event: APIGatewayProxyEventV2,
  access: RouteDefinition['access'],
) => Promise<Caller>;

interface RequestState {
  startedAt: number;
  requestId: string;
}

/**
 * The Lambda entry of one route group (`defineGroup`): dispatches on API Gateway's `routeKey` to the
 * implementation of that route, inside one middy stack (request id and logging, input validation,
 * errors to problem+json, CORS). The implementation map is typed by the group's routes, and the group
 * still refuses to start if a route has no implementation (a map built outside the type system).
 */
export function createGroupHandler<Routes extends Record<string, RouteDefinition>>(
  routes: Routes,
  implementations: Implementations<Routes>,
  resolveCaller?: CallerResolver,
) {
  const table = new Map<string, { route: RouteDefinition; implementation: AnyHandler }>();
  for (const [operationId, route] of Object.entries(routes)) {
    const implementation = (implementations as Record<string, AnyHandler | undefined>)[operationId];
    if (!implementation) throw new Error(`Route ${routeKey(route)} (${operationId}) has no implementation`);
    if (route.access !== 'anonymous-only' && !resolveCaller) {
      throw new Error(`Route ${routeKey(route)} looks at credentials: give the group a CallerResolver`);
    }
    table.set(gatewayRouteKey(route), { route, implementation });
    if (route.answersHead) table.set(`HEAD ${gatewayPath(route.path)}`, { route, implementation });
  }
  const group = [...new Set(Object.values(routes).map((route) => route.group))].join(', ');

  const states = new WeakMap<object, RequestState>();

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use({
      before: (request) => {
        const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
        states.set(request, { startedAt: performance.now(), requestId });
        startInvocation(request.context, requestId, { routeKey: request.event.routeKey });
        logger.debug('request received', {
          path: request.event.rawPath,
          query: request.event.rawQueryString,
          userAgent: request.event.headers?.['user-agent'],
        });
      },
      after: (request) => {
        const state = states.get(request);
        logger.info('request', {
          status: request.response?.statusCode,
          durationMs: state ? Math.round(performance.now() - state.startedAt) : undefined,
        });
        endInvocation();
      },
      onError: (request) => {
        const requestId = states.get(request)?.requestId ?? request.context.awsRequestId;
        const error = request.error;
        if (isDomainError(error)) {
          request.response = problemResponse(problemOf(error, requestId, request.event.rawPath), requestId);
          if (error instanceof TooManyRequestsError) {
            request.response.headers = {
              ...request.response.headers,
              'retry-after': String(error.retryAfterSeconds),
            };
          }
          logger.info('request refused', { status: error.status, reason: error.message });
        } else {
          // An error log prints the request's buffered debug lines first.
          logger.error('unexpected error', error as Error);
          request.response = problemResponse(internalProblem(requestId), requestId);
        }
        endInvocation();
      },
    })
    .handler(async (event, context) => {
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const entry = table.get(event.routeKey);
      if (!entry) throw new NotFoundError(`No route ${event.routeKey} in group ${group}.`);
      // The input is checked first so that a route's prefetch (a read that needs no caller, such as a
      // dataset by slug) runs while the caller is resolved; a bad input still answers after a 401.
      let input: ReturnType<typeof parseInput> | undefined;
      let badInput: unknown;
      try {
        input = parseInput(entry.route, event);
      } catch (error) {
        badInput = error;
      }
      const prefetched = input && entry.implementation.prefetch?.(input);
      // Judged by the implementation after the caller is known; never an unhandled rejection meanwhile.
      prefetched?.catch(() => undefined);
      const caller = resolveCaller ? await resolveCaller(event, entry.route.access) : ANONYMOUS;
      // Before a bad input is answered: whatever was asked, an unconfirmed account learns what to do first.
      if (
        entry.route.access === 'authenticated' &&
        !entry.route.allowsUnconfirmed &&
        mustConfirmFirst(caller)
      ) {
        throw new ForbiddenError(CONFIRM_FIRST);
      }
      if (!input) throw badInput;
      // Read before the implementation runs: a malformed mask is a 400 that changes nothing.
      const mask = parseFieldMask(event.headers?.[FIELD_MASK_HEADER]);
      const urls = publicUrls();
      const routeRequest: RouteRequest<RouteDefinition> = {
        ...input,
        ...(prefetched ? { prefetched } : {}),
        caller,
        urls,
        requestId,
        url: requestUrl(event, urls),
        cookies: parseCookies(event.cookies),
        headers: withoutOriginSecret(event.headers),
        sourceIp: clientAddress(event.headers, event.requestContext?.http?.sourceIp ?? ''),
        method:
          entry.route.answersHead && event.requestContext?.http?.method?.toUpperCase() === 'HEAD'
            ? 'HEAD'
            : entry.route.method,
      };
      const result = await entry.implementation(routeRequest);
      return toResponse(mask ? masked(result, mask) : result, requestId);
    });
}
