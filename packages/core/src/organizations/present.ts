import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { imageUrl } from '../images/image';
import { lazySchema } from '../lazy-schema';
import { ORG_ROLES } from '../permissions';
import { isoDateTime } from '../schema-helpers';
import { type MembershipRequest, MembershipStatusSchema } from './membership';
import {
  type Member,
  type MemberUser,
  membersOf,
  ORG_ROLE_LABELS,
  type Organization,
  OrgRoleSchema,
} from './organization';

/** udata's `MemberUser` reference: who a member (or a requester) is. */
export const MemberUserResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      first_name: z.string(),
      last_name: z.string(),
      slug: z.string(),
      uri: z.string(),
      page: z.string(),
      avatar: z.string().nullable(),
      avatar_thumbnail: z.string().nullable(),
    })
    .meta({ id: 'MemberUser' }),
);

export const MemberResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      user: MemberUserResponseSchema.extend({
        class: z.literal('User'),
        /** When the member last logged in (within an hour): shown to the organization's members only, as udata. */
        last_login_at: isoDateTime.nullable(),
        /** The member's email: shown to the organization's admins only (and sysadmins). */
        email: z.string().nullable(),
      }),
      role: OrgRoleSchema,
      /** The role's label, as udata gives it. */
      label: z.string(),
      since: isoDateTime,
    })
    .meta({ id: 'Member' }),
);
export type MemberResponse = z.infer<typeof MemberResponseSchema>;

/** What `GET /api/1/organizations/{org}/` answers: udata's field names. */
export const OrganizationResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      acronym: z.string().nullable(),
      slug: z.string(),
      description: z.string(),
      url: z.string().nullable(),
      business_number_id: z.string().nullable(),
      created_at: isoDateTime,
      last_modified: isoDateTime,
      deleted: isoDateTime.nullable(),
      badges: z.array(z.object({ kind: z.string() })),
      members: z.array(MemberResponseSchema),
      metrics: z.object({
        datasets: z.number().int(),
        members: z.number().int(),
        followers: z.number().int(),
        reuses: z.number().int(),
        views: z.number().int(),
      }),
      uri: z.string(),
      page: z.string(),
      logo: z.string().nullable(),
      logo_thumbnail: z.string().nullable(),
      extras: z.record(z.string(), z.unknown()),
    })
    .meta({ id: 'Organization' }),
);
export type OrganizationResponse = z.infer<typeof OrganizationResponseSchema>;

export const MembershipRequestResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      user: MemberUserResponseSchema,
      kind: z.literal('request'),
      status: MembershipStatusSchema,
      comment: z.string(),
      created: isoDateTime,
      handled_on: isoDateTime.nullable(),
      handled_by: z.string().nullable(),
      refusal_comment: z.string().nullable(),
    })
    .meta({ id: 'MembershipRequest' }),
);
export type MembershipRequestResponse = z.infer<typeof MembershipRequestResponseSchema>;

export const OrgRoleEntrySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: OrgRoleSchema, label: z.string() }).meta({ id: 'OrganizationRole' }),
);

export const ORG_ROLE_ENTRIES = ORG_ROLES.map((id) => ({ id, label: ORG_ROLE_LABELS[id] }));

export function presentMemberUser(
  user: MemberUser,
  urls: PublicUrls,
): z.infer<typeof MemberUserResponseSchema> {
  return {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    slug: user.slug,
    uri: `${urls.api}/api/1/users/${user.id}/`,
    page: `${urls.site}/users/${user.slug}/`,
    avatar: user.avatar ? imageUrl(urls, user.avatar) : null,
    avatar_thumbnail: user.avatar_thumbnail ? imageUrl(urls, user.avatar_thumbnail) : null,
  };
}

/** What only some may see of a member: its email (admins), when it last logged in (members). */
export interface MemberPrivateInfo {
  email: string | null;
  last_login_at: string | null;
}

export function presentMember(member: Member, urls: PublicUrls, info?: MemberPrivateInfo): MemberResponse {
  return {
    user: {
      class: 'User',
      ...presentMemberUser(member.user, urls),
      last_login_at: udataDateTimeOrNull(info?.last_login_at ?? null),
      email: info?.email ?? null,
    },
    role: member.role,
    label: ORG_ROLE_LABELS[member.role],
    since: udataDateTime(member.since),
  };
}

/**
 * `privateInfo`: what the caller may see of the members (by user id), read only for the organization's
 * members (see `memberPrivateInfoFor`); without it every member shows `email` and `last_login_at` null.
 * `metrics`: the totals folded from the stream (its metrics item: followers, reuses…; `datasets` from its
 * public datasets' counter), where the route read them.
 */
export function presentOrganization(
  organization: Organization,
  urls: PublicUrls,
  privateInfo?: ReadonlyMap<string, MemberPrivateInfo>,
  metrics: Readonly<Record<string, number>> = {},
): OrganizationResponse {
  const members = membersOf(organization);
  return {
    id: organization.id,
    name: organization.name,
    acronym: organization.acronym,
    slug: organization.slug,
    description: organization.description,
    url: organization.url,
    business_number_id: organization.business_number_id,
    created_at: udataDateTime(organization.created_at),
    last_modified: udataDateTime(organization.last_modified),
    deleted: udataDateTimeOrNull(organization.deleted),
    badges: organization.badges,
    members: members.map((member) => presentMember(member, urls, privateInfo?.get(member.user.id))),
    metrics: {
      datasets: metrics.datasets ?? 0,
      members: members.length,
      followers: metrics.followers ?? 0,
      reuses: metrics.reuses ?? 0,
      views: 0,
    },
    uri: `${urls.api}/api/1/organizations/${organization.id}/`,
    page: `${urls.site}/organizations/${organization.slug}/`,
    logo: organization.logo ? imageUrl(urls, organization.logo.key) : null,
    logo_thumbnail: organization.logo ? imageUrl(urls, organization.logo.thumbnail_key) : null,
    extras: organization.extras,
  };
}

export function presentMembershipRequest(
  request: MembershipRequest,
  urls: PublicUrls,
): MembershipRequestResponse {
  const { organization: _organization, user, ...fields } = request;
  return {
    ...fields,
    created: udataDateTime(fields.created),
    handled_on: udataDateTimeOrNull(fields.handled_on),
    user: presentMemberUser(user, urls),
  };
}

/**
 * What `caller` may see of the organization's members, as udata shows it on the organization's page:
 * members (admins and editors) see when each member last logged in, admins (and sysadmins) also their
 * emails; anyone else sees neither (null: nothing to read).
 */
export function memberPrivacyFor(
  organization: Organization,
  caller: { kind: 'anonymous' } | { kind: 'user'; id: string; sysadmin: boolean },
): { lastLogin: boolean; email: boolean } | null {
  if (caller.kind !== 'user') return null;
  const role = Object.hasOwn(organization.members, caller.id)
    ? organization.members[caller.id]?.role
    : undefined;
  const admin = caller.sysadmin || role === 'admin';
  if (!admin && !role) return null;
  return { lastLogin: true, email: admin };
}
