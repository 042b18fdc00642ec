import { describe, expect, it } from 'vitest';
import { ForbiddenError, PayloadTooLargeError, ValidationError } from '../errors';
import {
  commentOn,
  type Discussion,
  findComment,
  MAX_COMMENT_LENGTH,
  newDiscussion,
  removeComment,
  type Speaker,
} from './discussion';

const speaker: Speaker = {
  user: { kind: 'user', id: 'u'.repeat(24), slug: 'ada', first_name: 'Ada', last_name: 'L' },
  organization: null,
};
const now = new Date('2026-12-04T10:00:00.000Z');

function opened(): Discussion {
  return newDiscussion(
    { id: 'd'.repeat(24), commentId: '00000000-0000-4000-8000-000000000000' },
    {
      title: 'Question',
      comment: 'Bonjour',
      subject: { class: 'Dataset', id: 's'.repeat(24) },
      organization: null,
      extras: {},
    },
    { kind: 'user', id: 'o'.repeat(24) },
    speaker,
    now,
    null,
  );
}

const reply = (discussion: Discussion, n: number, text: string, close = false, mayClose = true) =>
  commentOn(discussion, { commentId: `c-${n}`, comment: text, close, mayClose }, speaker, now, null)
    .discussion;

describe('discussion rules', () => {
  it('finds comments by index or id', () => {
    const discussion = reply(opened(), 1, 'Deux');
    expect(findComment(discussion, '1')?.comment.content).toBe('Deux');
    expect(findComment(discussion, 'c-1')?.index).toBe(1);
    expect(findComment(discussion, '2')).toBeNull();
    expect(findComment(discussion, 'unknown')).toBeNull();
  });

  it('takes no comment once closed, refuses an empty change and a close by whoever may not', () => {
    const closed = reply(opened(), 1, 'Fin', true);
    expect(closed.closed).toBe(now.toISOString());
    expect(() => reply(closed, 2, 'Encore')).toThrow(ForbiddenError);
    expect(() =>
      commentOn(
        opened(),
        { commentId: 'x', comment: undefined, close: false, mayClose: true },
        speaker,
        now,
        null,
      ),
    ).toThrow(ValidationError);
    expect(() => reply(opened(), 1, 'Fin', true, false)).toThrow(ForbiddenError);
  });

  it('never deletes the first comment alone', () => {
    const discussion = reply(opened(), 1, 'Deux');
    expect(() => removeComment(discussion, 0)).toThrow(ValidationError);
    expect(removeComment(discussion, 1).comments).toHaveLength(1);
  });

  it('refuses a comment that would make the discussion too large to store (413)', () => {
    let discussion = opened();
    const longest = 'é'.repeat(MAX_COMMENT_LENGTH);
    expect(() => {
      for (let n = 1; n < 10; n++) discussion = reply(discussion, n, longest);
    }).toThrow(PayloadTooLargeError);
    expect(discussion.comments.length).toBeGreaterThan(1);
  });
});
