import {
  type DomainError,
  type FieldErrors,
  isDomainError,
  lazySchema,
  truncate,
  ValidationError,
} from '@portail/core';
import * as z from 'zod';

/** RFC 9457 problem document, extended with udata's `message` and `errors` so udata clients read it. */
export const ProblemSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      instance: z.string().optional(),
      message: z.string(),
      errors: z.record(z.string(), z.array(z.string())).optional(),
      request_id: z.string().optional(),
    })
    .meta({ id: 'Problem' }),
);
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * How much of a refused input a problem document may carry: messages quote excerpts, but a field name
 * can be a key the client chose, and a message may come from anywhere. An answer stays a few KB.
 */
const MAX_DETAIL_LENGTH = 2_000;
const MAX_FIELD_LENGTH = 100;
const MAX_MESSAGE_LENGTH = 1_000;
const MAX_FIELDS = 20;
const MAX_MESSAGES_PER_FIELD = 5;

function boundedErrors(errors: FieldErrors): FieldErrors {
  const bounded: FieldErrors = {};
  for (const [field, messages] of Object.entries(errors).slice(0, MAX_FIELDS)) {
    bounded[truncate(field, MAX_FIELD_LENGTH)] = messages
      .slice(0, MAX_MESSAGES_PER_FIELD)
      .map((message) => truncate(message, MAX_MESSAGE_LENGTH));
  }
  return bounded;
}

export function problemOf(error: DomainError, requestId: string, instance?: string): Problem {
  const detail = truncate(error.message, MAX_DETAIL_LENGTH);
  return {
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail,
    ...(instance ? { instance: truncate(instance, MAX_DETAIL_LENGTH) } : {}),
    message: detail,
    ...(error instanceof ValidationError && Object.keys(error.errors).length > 0
      ? { errors: boundedErrors(error.errors) }
      : {}),
    request_id: requestId,
  };
}

export function internalProblem(requestId: string): Problem {
  return {
    type: '/problems/internal-error',
    title: 'Internal server error',
    status: 500,
    detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
    message: 'Internal server error',
    request_id: requestId,
  };
}

/** zod issues to udata's `{field: [messages]}` (list indexes fold into their field: `tags`, not `tags.0`). */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const segments: string[] = [];
    for (const segment of issue.path) {
      if (typeof segment === 'number') break;
      segments.push(truncate(String(segment), 40));
    }
    const field = segments.join('.') || prefix || 'body';
    const existing = errors[field] ?? [];
    if (!existing.includes(issue.message)) existing.push(issue.message);
    errors[field] = existing;
  }
  return errors;
}

export function validationErrorFrom(error: z.ZodError, where: string): ValidationError {
  const errors = fieldErrors(error, where);
  const summary = Object.entries(errors)
    .slice(0, MAX_FIELDS)
    .map(([field, messages]) => `${field}: ${truncate(messages.join(' '), MAX_MESSAGE_LENGTH)}`)
    .join('; ');
  return new ValidationError(`Invalid ${where}: ${truncate(summary, MAX_DETAIL_LENGTH)}`, errors);
}

export { isDomainError };

/** A problem the HTTP layer itself answers (no route, wrong method, unreadable request), as problem+json. */
export function httpProblem(
  status: number,
  title: string,
  detail: string,
  requestId: string,
  instance?: string,
): Problem {
  const bounded = detail.length > MAX_DETAIL_LENGTH ? `${detail.slice(0, MAX_DETAIL_LENGTH)}…` : detail;
  return {
    type: `/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    detail: bounded,
    ...(instance ? { instance: instance.slice(0, MAX_DETAIL_LENGTH) } : {}),
    message: bounded,
    request_id: requestId,
  };
}
