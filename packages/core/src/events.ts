import * as z from 'zod';
import { isoDateTime } from './schema-helpers';

/**
 * The event catalogue. Every state change writes one of these into the outbox in the same transaction
 * (see docs/events.md). `id` is the idempotency key consumers use to act once.
 */
export const EVENT_TYPES = [
  'dataset.created',
  'dataset.updated',
  'dataset.deleted',
  'dataset.restored',
  'dataset.resource.added',
  'dataset.resource.updated',
  'dataset.resource.removed',
  'user.created',
  'user.confirmed',
  'user.updated',
  'user.deleted',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization.member.added',
  'organization.member.role-changed',
  'organization.member.removed',
  'organization.membership.requested',
  'organization.membership.accepted',
  'organization.membership.refused',
  'organization.membership.canceled',
  'transfer.requested',
  'transfer.accepted',
  'transfer.refused',
  'dataset.community-resource.added',
  'dataset.community-resource.updated',
  'dataset.community-resource.removed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SUBJECT_CLASSES = ['Dataset', 'User', 'Organization', 'Transfer'] as const;
export type SubjectClass = (typeof SUBJECT_CLASSES)[number];

export const ActorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({ kind: z.literal('user'), id: z.string() }),
]);
export type Actor = z.infer<typeof ActorSchema>;

export const DomainEventSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  occurred_at: isoDateTime,
  actor: ActorSchema,
  subject: z.object({ class: z.enum(SUBJECT_CLASSES), id: z.string() }),
  /** Event-specific facts, e.g. `changes` for an update. */
  data: z.record(z.string(), z.unknown()),
});
export type DomainEvent = z.infer<typeof DomainEventSchema>;
