import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@portail/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { fieldErrors, internalProblem, ProblemSchema, problemOf, validationErrorFrom } from './problem';

describe('problemOf', () => {
  it("carries the RFC 9457 fields and udata's `message`", () => {
    const problem = problemOf(new NotFoundError('Dataset "x" not found.'), 'req-42', '/api/1/datasets/x/');
    expect(problem).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Dataset "x" not found.',
      instance: '/api/1/datasets/x/',
      message: 'Dataset "x" not found.',
      request_id: 'req-42',
    });
    expect(ProblemSchema.parse(problem)).toEqual(problem);
  });

  it('carries the `errors` field map of a validation error', () => {
    const error = new ValidationError('Invalid body', { title: ['This field is required.'] });
    const problem = problemOf(error, 'req-1');
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual({ title: ['This field is required.'] });
    expect(problem.message).toBe('Invalid body');
  });

  it('leaves out `errors` when there are none, and `instance` when not given', () => {
    const problem = problemOf(new ValidationError('The request body is empty.'), 'req-1');
    expect(problem).not.toHaveProperty('errors');
    expect(problem).not.toHaveProperty('instance');
  });

  it.each([
    ['ValidationError', new ValidationError('v'), 400, 'validation-error'],
    ['UnauthorizedError', new UnauthorizedError('u'), 401, 'unauthorized'],
    ['ForbiddenError', new ForbiddenError(), 403, 'forbidden'],
    ['NotFoundError', new NotFoundError('n'), 404, 'not-found'],
    ['ConflictError', new ConflictError('c'), 409, 'conflict'],
    ['GoneError', new GoneError('g'), 410, 'gone'],
    ['PayloadTooLargeError', new PayloadTooLargeError('p'), 413, 'payload-too-large'],
    ['UnsupportedMediaTypeError', new UnsupportedMediaTypeError('m'), 415, 'unsupported-media-type'],
  ] as const)('maps %s to status %i and type /problems/%s', (_name, error, status, code) => {
    const problem = problemOf(error, 'req-1');
    expect(problem.status).toBe(status);
    expect(problem.type).toBe(`/problems/${code}`);
  });

  it("uses udata's wording for a refused modification", () => {
    expect(problemOf(new ForbiddenError(), 'req-1').message).toBe(
      'You do not have the permission to modify that object.',
    );
  });
});

describe('internalProblem', () => {
  it('is a generic 500 that quotes the request id', () => {
    const problem = internalProblem('req-9');
    expect(problem.status).toBe(500);
    expect(problem.request_id).toBe('req-9');
    expect(problem.detail).toContain('req-9');
    expect(ProblemSchema.safeParse(problem).success).toBe(true);
  });
});

describe('fieldErrors', () => {
  const schema = z.object({
    title: z.string({ error: 'This field is required.' }),
    tags: z.array(z.string().min(3, 'Too short.')),
    spatial: z.object({ zones: z.array(z.string({ error: 'Expected a zone id.' })) }),
  });

  function errorsFor(value: unknown, prefix?: string) {
    const result = schema.safeParse(value);
    if (result.success) throw new Error('expected a failure');
    return fieldErrors(result.error, prefix);
  }

  it('names each failing field', () => {
    expect(errorsFor({ tags: [], spatial: { zones: [] } })).toEqual({ title: ['This field is required.'] });
  });

  it('folds list indexes into the field name and says each message once', () => {
    expect(errorsFor({ title: 't', tags: ['ok-tag', 'a', 'b'], spatial: { zones: [] } })).toEqual({
      tags: ['Too short.'],
    });
  });

  it('joins nested object fields with dots, stopping at a list index', () => {
    expect(errorsFor({ title: 't', tags: [], spatial: { zones: ['country:fr', 3] } })).toEqual({
      'spatial.zones': ['Expected a zone id.'],
    });
  });

  it('files an error on the whole value under the prefix, or `body`', () => {
    expect(Object.keys(errorsFor('not an object', 'query'))).toEqual(['query']);
    expect(Object.keys(errorsFor('not an object'))).toEqual(['body']);
  });
});

describe('validationErrorFrom', () => {
  it('summarizes every field in the message and keeps the field map', () => {
    const result = z.object({ title: z.string({ error: 'This field is required.' }) }).safeParse({});
    if (result.success) throw new Error('expected a failure');
    const error = validationErrorFrom(result.error, 'body');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('Invalid body: title: This field is required.');
    expect(error.errors).toEqual({ title: ['This field is required.'] });
  });
});
