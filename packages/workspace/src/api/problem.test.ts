import { describe, expect, it } from 'vitest';
import { formProblem } from './problem';

describe('formProblem', () => {
  it('puts each field message of a problem+json next to its field', () => {
    const problem = formProblem(
      {
        type: 'about:blank',
        title: 'Bad request',
        status: 400,
        detail: 'Invalid input.',
        message: 'Invalid input.',
        errors: { email: ['This email is already registered.'], password: ['Too short.', 42] },
      },
      'fallback',
    );
    expect(problem).toEqual({
      message: 'Invalid input.',
      fields: { email: ['This email is already registered.'], password: ['Too short.'] },
    });
  });

  it('says the fields have errors instead of repeating them all when given a summary', () => {
    const problem = formProblem(
      { detail: 'Invalid body: email: bad', errors: { email: ['bad'] } },
      'fallback',
      'Correct the fields.',
    );
    expect(problem.message).toBe('Correct the fields.');
    expect(formProblem({ detail: 'Not allowed' }, 'fallback', 'Correct the fields.').message).toBe(
      'Not allowed',
    );
  });

  it('falls back on a message when the answer is not a problem', () => {
    expect(formProblem('<html>', 'Network error')).toEqual({ message: 'Network error', fields: {} });
    expect(formProblem(null, 'x').message).toBe('x');
  });
});
