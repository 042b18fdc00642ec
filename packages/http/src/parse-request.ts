import {
  API_FORM_UPLOAD_MAX_BYTES,
  PayloadTooLargeError,
  quoted,
  truncate,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@portail/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { isMultipartForm, type MultipartForm, parseMultipartForm } from './multipart-form';
import { validationErrorFrom } from './problem';
import type { RouteDefinition } from './route';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Deepest nesting a JSON body may have. Checked on the text before it is parsed, so no recursive work
 * (parsing, validation, an error message) ever meets a deeper value; DynamoDB stores 32 levels at most.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether JSON text nests lists and objects deeper than `max`: brackets outside strings, counted in one pass. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > max) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * `__proto__` anywhere in a body: JSON.parse keeps it as an own key, but any object built from it
 * (zod's records, a spread) would set a prototype instead of a key. No udata field is named so.
 */
function prototypeKeyPath(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) stack.push({ value: item, path });
      continue;
    }
    for (const key of Object.keys(current)) {
      const where = path ? `${path}.${truncate(key, 40)}` : truncate(key, 40);
      if (key === '__proto__') return where;
      stack.push({ value: (current as Record<string, unknown>)[key], path: where });
    }
  }
  return null;
}

/**
 * A path parameter that is a dot segment (`.`, `..`, however it was escaped) names no object: an HTTP
 * layer that resolved it would have routed the request elsewhere. Refused whatever the gateway did.
 */
export function checkPathParameters(event: APIGatewayProxyEventV2): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value === '.' || value === '..') {
      throw ValidationError.field(name, `${quoted(value)} is not a valid path segment.`);
    }
  }
  for (const segment of (event.rawPath ?? '').split('/')) {
    if (/^(\.|%2e){1,2}$/i.test(segment)) {
      throw ValidationError.field('path', `${quoted(segment)} is not a valid path segment.`);
    }
  }
}

/**
 * Query string as a plain object: a repeated key becomes a list. Read from `rawQueryString` because
 * API Gateway joins repeated values with commas in `queryStringParameters`, which loses tags with commas.
 */
export function parseQueryString(raw: string | undefined): Record<string, string | string[]> {
  // No prototype: `?__proto__=…` or `?constructor=…` are keys like any other, never inherited values.
  const result: Record<string, string | string[]> = Object.create(null);
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
  const text = bytes.toString('utf8');
  if (jsonNestsDeeperThan(text, MAX_BODY_DEPTH)) {
    throw new ValidationError(
      `The request body nests lists and objects deeper than ${MAX_BODY_DEPTH} levels.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `The request body is not valid JSON: ${truncate((error as Error).message, 200)}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) !== list) {
    throw new ValidationError(`The request body must be ${expected}.`);
  }
  const prototypeKey = prototypeKeyPath(parsed);
  if (prototypeKey) {
    throw ValidationError.field(prototypeKey, '"__proto__" may not be used as a key.');
  }
  return parsed;
}

/**
 * A body that is one string: JSON text of a string (`"0 0 * * *"`), or the text itself as `text/plain`,
 * as udata takes both. Anything else is a 4xx naming what was expected.
 */
export function parseTextBody(event: APIGatewayProxyEventV2, maxBytes: number): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(
      `The request body is ${bytes.length} bytes; the limit is ${maxBytes} bytes.`,
    );
  }
  if (bytes.length === 0) throw new ValidationError('The request body is empty; a string is expected.');
  const contentType = (header(event, 'content-type') ?? '').trim();
  const text = bytes.toString('utf8');
  if (/^text\/plain\b/i.test(contentType)) return text;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/json or text/plain (got "${contentType || 'none'}").`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `The request body is not valid JSON: ${truncate((error as Error).message, 200)}`,
    );
  }
  if (typeof parsed !== 'string') throw new ValidationError('The request body must be a JSON string.');
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
  form?: MultipartForm;
}

/** A form upload's body: read whole, refused above what one request to the deployed API carries. */
function formOf(event: APIGatewayProxyEventV2, contentType: string): MultipartForm {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > API_FORM_UPLOAD_MAX_BYTES) {
    throw new PayloadTooLargeError(
      `The form is ${bytes.length} bytes; one request through the API carries at most ${API_FORM_UPLOAD_MAX_BYTES} bytes. ` +
        "Send a larger file in chunks with udata's chunked protocol (each request a form with the file's part and uuid, partindex, partbyteoffset, totalparts, chunksize and totalfilesize), " +
        'or with the presigned flow: POST this same path with the JSON {filename, size, mime} and send the bytes to the URL it answers.',
    );
  }
  return parseMultipartForm(bytes, contentType);
}

/** A form of fields only (`application/x-www-form-urlencoded`), as python-requests sends `data={…}`. */
function urlEncodedFormOf(event: APIGatewayProxyEventV2): MultipartForm {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > DEFAULT_MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The form is ${bytes.length} bytes; at most ${DEFAULT_MAX_BODY_BYTES} are read.`,
    );
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(bytes.toString('utf8'))) fields[name] ??= value;
  return { fields, files: [] };
}

export function parseInput(route: RouteDefinition, event: APIGatewayProxyEventV2): ParsedInput {
  checkPathParameters(event);
  const params = route.params ? validate(route.params, event.pathParameters ?? {}, 'path') : undefined;
  const query = route.query
    ? validate(route.query, parseQueryString(event.rawQueryString), 'query')
    : undefined;
  const contentType = header(event, 'content-type');
  if (route.acceptsForm && contentType && isMultipartForm(contentType)) {
    return { params, query, body: undefined, form: formOf(event, contentType) };
  }
  if (
    route.formFileOptional &&
    contentType &&
    /^\s*application\/x-www-form-urlencoded\b/i.test(contentType)
  ) {
    return { params, query, body: undefined, form: urlEncodedFormOf(event) };
  }
  const maxBytes = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = route.body
    ? validate(
        route.body,
        route.bodyIsText ? parseTextBody(event, maxBytes) : parseJsonBody(event, maxBytes, route.bodyIsList),
        'body',
      )
    : undefined;
  return { params, query, body };
}
