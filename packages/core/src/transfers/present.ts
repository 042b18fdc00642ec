import * as z from 'zod';
import type { Publisher } from '../dataset/dataset';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';
import type { MemberUser } from '../organizations/organization';
import { MemberUserResponseSchema, presentMemberUser } from '../organizations/present';
import { isoDateTime } from '../schema-helpers';
import { TRANSFER_SUBJECT_CLASSES, type Transfer, TransferStatusSchema } from './transfer';

/** udata's `UserReference`: a member user with the `class` discriminator its polymorphic fields carry. */
export const UserReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ class: z.literal('User'), ...MemberUserResponseSchema.shape }).meta({ id: 'UserReference' }),
);

/** udata's `OrganizationReference`. */
export const OrganizationReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      class: z.literal('Organization'),
      id: z.string(),
      name: z.string(),
      slug: z.string(),
      uri: z.string(),
      page: z.string(),
      logo: z.string().nullable(),
      logo_thumbnail: z.string().nullable(),
    })
    .meta({ id: 'OrganizationReference' }),
);

/** A user or an organization: who owns, receives or is given something. */
export const PartyReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('class', [UserReferenceSchema, OrganizationReferenceSchema]),
);
export type PartyReference = z.infer<typeof PartyReferenceSchema>;

/** udata's `DatasetReference` (or `ReuseReference`, by its `class`). */
export const DatasetReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      class: z.enum(TRANSFER_SUBJECT_CLASSES),
      id: z.string(),
      title: z.string(),
      uri: z.string(),
      page: z.string(),
    })
    .meta({ id: 'DatasetReference' }),
);

/** What the transfer endpoints answer: udata's `Transfer` fields. */
export const TransferResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      owner: PartyReferenceSchema,
      recipient: PartyReferenceSchema,
      subject: DatasetReferenceSchema,
      comment: z.string().nullable(),
      status: TransferStatusSchema,
      created: isoDateTime,
      responded: isoDateTime.nullable(),
      responder: UserReferenceSchema.nullable(),
      response_comment: z.string().nullable(),
    })
    .meta({ id: 'Transfer' }),
);
export type TransferResponse = z.infer<typeof TransferResponseSchema>;

function presentUserReference(user: MemberUser, urls: PublicUrls): z.infer<typeof UserReferenceSchema> {
  return { class: 'User', ...presentMemberUser(user, urls) };
}

export function presentParty(party: Publisher, urls: PublicUrls): PartyReference {
  if (party.kind === 'user') {
    const { kind: _kind, ...user } = party;
    return presentUserReference(user, urls);
  }
  return {
    class: 'Organization',
    id: party.id,
    name: party.name,
    slug: party.slug,
    uri: `${urls.api}/api/1/organizations/${party.id}/`,
    page: `${urls.site}/organizations/${party.slug}/`,
    logo: null,
    logo_thumbnail: null,
  };
}

const SUBJECT_PATHS = { Dataset: 'datasets', Reuse: 'reuses' } as const;

export function presentTransfer(transfer: Transfer, urls: PublicUrls): TransferResponse {
  return {
    id: transfer.id,
    owner: presentParty(transfer.owner, urls),
    recipient: presentParty(transfer.recipient, urls),
    subject: {
      class: transfer.subject.class,
      id: transfer.subject.id,
      title: transfer.subject.title,
      uri: `${urls.api}/api/1/${SUBJECT_PATHS[transfer.subject.class]}/${transfer.subject.id}/`,
      page: `${urls.site}/${SUBJECT_PATHS[transfer.subject.class]}/${transfer.subject.slug}/`,
    },
    comment: transfer.comment,
    status: transfer.status,
    created: udataDateTime(transfer.created),
    responded: udataDateTimeOrNull(transfer.responded),
    responder: transfer.responder ? presentUserReference(transfer.responder, urls) : null,
    response_comment: transfer.response_comment,
  };
}
