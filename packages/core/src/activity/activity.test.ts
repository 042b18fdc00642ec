import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../events';
import { activityOf, activityRelated, type RelatedSnapshot } from './activity';

const dataset: RelatedSnapshot = {
  class: 'Dataset',
  id: 'd1',
  title: 'Jeu',
  slug: 'jeu',
  organization: null,
  private: false,
};

const discussionData = {
  about: { class: 'Dataset', id: 'd1' },
  owner: { class: 'User', id: 'u1' },
  title: 'Une question',
  participants: ['u2'],
};

function event(type: string, data: Record<string, unknown>): DomainEvent {
  return {
    id: `e-${type}`,
    type,
    occurred_at: '2026-01-01T00:00:00.000000+00:00',
    actor: { kind: 'user', id: 'u2' },
    subject: { class: 'Discussion', id: 'q1' },
    data,
  } as DomainEvent;
}

describe('discussion activity', () => {
  it.each([
    [
      'discussion.created',
      { ...discussionData, comment: 'c1', organization: null },
      'dataset:discussed',
      'c1',
    ],
    [
      'discussion.commented',
      { ...discussionData, comment: 'c2', author: 'u2', closes: false },
      'dataset:discussion:commented',
      'c2',
    ],
    ['discussion.closed', { ...discussionData, comment: 'c3' }, 'dataset:discussion:closed', 'c3'],
  ])('%s is about what is discussed, under %s', (type, data, key, comment) => {
    const happened = event(type, data);
    expect(activityRelated(happened)).toEqual({ class: 'Dataset', id: 'd1' });
    expect(activityOf(happened, dataset, null)).toMatchObject({
      key,
      extras: { discussion_id: 'q1', discussion_title: 'Une question', comment_id: comment },
    });
  });

  it('makes one activity of a closing comment: the close', () => {
    const closing = event('discussion.commented', {
      ...discussionData,
      comment: 'c3',
      author: 'u2',
      closes: true,
    });
    expect(activityOf(closing, dataset, null)).toBeNull();
  });

  it('makes none about a private object', () => {
    const closed = event('discussion.closed', { ...discussionData, comment: null });
    expect(activityOf(closed, { ...dataset, private: true }, null)).toBeNull();
    expect(activityOf(closed, dataset, null)?.extras).toEqual({
      discussion_id: 'q1',
      discussion_title: 'Une question',
    });
  });
});
