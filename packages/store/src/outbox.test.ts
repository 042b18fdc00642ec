import { DomainEventSchema, EVENT_CATALOGUE, EVENT_TYPES, udataDateTime } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { buildEvent } from './outbox';

const now = new Date('2026-12-01T10:00:00.000Z');
const anonymous = { kind: 'anonymous' } as const;

describe('buildEvent', () => {
  it('builds an event its type’s schema accepts', () => {
    const event = buildEvent('dataset.created', { class: 'Dataset', id: 'd1' }, anonymous, now, {
      slug: 'budget',
      private: false,
    });
    expect(DomainEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'dataset.created', occurred_at: udataDateTime(now) });
  });

  it('refuses data of another shape, at compile time and at run time', () => {
    expect(() =>
      // @ts-expect-error `slug` is required and `title` is not part of dataset.created
      buildEvent('dataset.created', { class: 'Dataset', id: 'd1' }, anonymous, now, { title: 'x' }),
    ).toThrow();
    expect(() =>
      // @ts-expect-error a dataset event has a dataset as subject
      buildEvent('dataset.deleted', { class: 'User', id: 'u1' }, anonymous, now),
    ).not.toThrow();
    expect(() =>
      // @ts-expect-error organization.updated needs its changes and slug
      buildEvent('organization.updated', { class: 'Organization', id: 'o1' }, anonymous, now),
    ).toThrow();
  });

  it('has a schema, a subject class and a description for every type', () => {
    for (const type of EVENT_TYPES) {
      expect(EVENT_CATALOGUE[type].when.length, type).toBeGreaterThan(0);
      expect(EVENT_CATALOGUE[type].data.shape, type).toBeDefined();
    }
  });
});
