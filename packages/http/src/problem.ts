import { type DomainError, type FieldErrors, isDomainError, ValidationError } from '@portail/core';
import * as z from 'zod';

/** RFC 9457 problem document, extended with udata's `message` and `errors` so udata clients read it. */
export const ProblemSchema = z
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
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemOf(error: DomainError, requestId: string, instance?: string): Problem {
  return {
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    message: error.message,
    ...(error instanceof ValidationError && Object.keys(error.errors).length > 0
      ? { errors: error.errors }
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
      segments.push(String(segment));
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
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  return new ValidationError(`Invalid ${where}: ${summary}`, errors);
}

export { isDomainError };
