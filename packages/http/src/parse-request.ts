import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '@portail/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { validationErrorFrom } from './problem';
import type { RouteDefinition } from './route';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Query string as a plain object: a repeated key becomes a list. Read from `rawQueryString` because
 * API Gateway joins repeated values with commas in `queryStringParameters`, which loses tags with commas.
 */
export function parseQueryString(raw: string | undefined): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw ?? '')) {
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name] ?? event.headers?.[name.toLowerCase()];
}

/** The JSON body, or a 4xx that says exactly what is wrong with it. */
export function parseJsonBody(event: APIGatewayProxyEventV2, maxBytes: number, list = false): unknown {
  const expected = list ? 'a JSON list' : 'a JSON object';
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(
      `The request body is ${bytes.length} bytes; the limit is ${maxBytes} bytes.`,
    );
  }
  if (bytes.length === 0) throw new ValidationError(`The request body is empty; ${expected} is expected.`);
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/json (got "${contentType || 'none'}").`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) !== list) {
    throw new ValidationError(`The request body must be ${expected}.`);
  }
  return parsed;
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, where);
  return result.data;
}

export interface ParsedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

export function parseInput(route: RouteDefinition, event: APIGatewayProxyEventV2): ParsedInput {
  const params = route.params ? validate(route.params, event.pathParameters ?? {}, 'path') : undefined;
  const query = route.query
    ? validate(route.query, parseQueryString(event.rawQueryString), 'query')
    : undefined;
  const body = route.body
    ? validate(
        route.body,
        parseJsonBody(event, route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, route.bodyIsList),
        'body',
      )
    : undefined;
  return { params, query, body };
}
