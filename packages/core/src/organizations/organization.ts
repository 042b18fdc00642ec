import * as z from 'zod';
import type { Caller } from '../caller';
import { StoredImageSchema } from '../images/image';
import { lazySchema } from '../lazy-schema';
import type { OrgRole } from '../permissions';
import { httpUrl, isoDateTime, optionalString, requiredLine, requiredString } from '../schema-helpers';
import { extrasSchema } from '../storable-json';

export const MAX_ORGANIZATION_NAME_LENGTH = 255;
export const MAX_ORGANIZATION_DESCRIPTION_LENGTH = 100_000;
export const MAX_BUSINESS_NUMBER_ID_LENGTH = 14;

/** Fixed segments under `/api/1/organizations/`: no organization slug may take one of them. */
export const RESERVED_ORGANIZATION_SLUGS: ReadonlySet<string> = new Set(['roles', 'suggest', 'badges']);

export const OrgRoleSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(['admin', 'editor'] as const satisfies readonly OrgRole[], {
    error: (issue) =>
      issue.input === undefined ? 'This field is required.' : 'Unknown role: expected "admin" or "editor".',
  }),
);

/** udata's labels (`GET /api/1/organizations/roles/`). */
export const ORG_ROLE_LABELS: Record<OrgRole, string> = { admin: 'Administrator', editor: 'Editor' };

/** Empty strings mean "no website" (udata's forms read them as None). */
const urlInput = /* @__PURE__ */ lazySchema(() =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    httpUrl(2000, 'Invalid URL: expected an http(s) address.')
      .nullish()
      .transform((value) => value ?? null),
  ),
);

/** An organization's `extras`, checked the same in a `PUT` of the organization and on API v2's extras routes. */
export const organizationExtrasInputSchema = /* @__PURE__ */ lazySchema(() =>
  extrasSchema({ maxKeyLength: 255 }),
);
const extrasInput = organizationExtrasInputSchema;

/** Fields an admin writes, with udata's names and rules (reference §1 "Organizations"). */
const writableFields = {
  name: /* @__PURE__ */ lazySchema(() => requiredLine(MAX_ORGANIZATION_NAME_LENGTH)),
  acronym: /* @__PURE__ */ lazySchema(() => optionalString(128)),
  description: /* @__PURE__ */ lazySchema(() => requiredString(MAX_ORGANIZATION_DESCRIPTION_LENGTH)),
  url: urlInput,
  business_number_id: /* @__PURE__ */ lazySchema(() => optionalString(MAX_BUSINESS_NUMBER_ID_LENGTH)),
  extras: extrasInput,
};

/**
 * `POST /api/1/organizations/` body. Unknown and read-only fields (`slug`, `members`, `badges`…) are
 * ignored, as for datasets: udata clients send back whole objects they read.
 */
export const OrganizationCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({ ...writableFields, extras: writableFields.extras.default({}) })
    .meta({ id: 'OrganizationCreateInput' }),
);
export type OrganizationCreateInput = z.output<typeof OrganizationCreateInputSchema>;

/** `PUT /api/1/organizations/{org}/` body: what is sent is merged over what is stored. */
export const OrganizationUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: writableFields.name.optional(),
      acronym: writableFields.acronym.optional(),
      description: writableFields.description.optional(),
      url: writableFields.url.optional(),
      business_number_id: writableFields.business_number_id.optional(),
      extras: writableFields.extras.optional(),
    })
    .meta({ id: 'OrganizationUpdateInput' }),
);
export type OrganizationUpdateInput = z.output<typeof OrganizationUpdateInputSchema>;

/**
 * What a membership remembers of the user: enough to show the member list without reading every
 * account (a snapshot taken when the user joined or asked to join).
 */
export const MemberUserSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    slug: z.string(),
    /** Their avatar's keys (absent on copies taken before avatars were kept; null without one). */
    avatar: z.string().nullish(),
    avatar_thumbnail: z.string().nullish(),
  }),
);
export type MemberUser = z.infer<typeof MemberUserSchema>;

/** What a membership keeps of a user, always built here so that two copies compare equal. */
export function memberUserSnapshot(user: {
  id: string;
  first_name: string;
  last_name: string;
  slug: string;
  avatar?: { key: string; thumbnail_key: string } | null;
}): MemberUser {
  return {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    slug: user.slug,
    avatar: user.avatar?.key ?? null,
    avatar_thumbnail: user.avatar?.thumbnail_key ?? null,
  };
}

export const MemberSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    user: MemberUserSchema,
    role: OrgRoleSchema,
    since: isoDateTime,
  }),
);
export type Member = z.infer<typeof MemberSchema>;

/** The organization as the domain knows it (and as the store keeps it, less its keys). */
export const OrganizationSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    acronym: z.string().nullable(),
    description: z.string(),
    url: z.string().nullable(),
    business_number_id: z.string().nullable(),
    extras: z.record(z.string(), z.unknown()),
    badges: z.array(z.object({ kind: z.string() })),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    deleted: isoDateTime.nullable(),
    /** Members by user id: one item holds the whole list, so a read is one GetItem. */
    members: z.record(z.string(), MemberSchema),
    /** Kept in the transactions that change roles: demoting or removing an admin requires more than one. */
    admin_count: z.number().int().nonnegative(),
    /** Its logo and thumbnail (`POST /api/1/organizations/{org}/logo/`), none until one is uploaded. */
    logo: StoredImageSchema.nullable().default(null),
    /** Optimistic-locking counter: every write checks or bumps it. */
    version: z.number().int().nonnegative(),
  }),
);
export type Organization = z.infer<typeof OrganizationSchema>;

export function newOrganization(
  input: OrganizationCreateInput,
  ids: { id: string; slug: string },
  creator: MemberUser,
  now: Date,
): Organization {
  const at = now.toISOString();
  return {
    id: ids.id,
    slug: ids.slug,
    name: input.name,
    acronym: input.acronym,
    description: input.description,
    url: input.url,
    business_number_id: input.business_number_id,
    extras: input.extras,
    badges: [],
    logo: null,
    created_at: at,
    last_modified: at,
    deleted: null,
    members: { [creator.id]: { user: creator, role: 'admin', since: at } },
    admin_count: 1,
    version: 1,
  };
}

/** Applies a PUT body; returns the new state and which fields changed (for the event). */
export function applyOrganizationUpdate(
  organization: Organization,
  input: OrganizationUpdateInput,
  now: Date,
): { organization: Organization; changes: string[] } {
  const changes: string[] = [];
  const next: Organization = { ...organization };
  for (const key of Object.keys(input) as (keyof OrganizationUpdateInput)[]) {
    const value = input[key];
    if (value === undefined) continue;
    if (JSON.stringify(value) !== JSON.stringify(organization[key])) {
      changes.push(key);
      (next as Record<string, unknown>)[key] = value;
    }
  }
  if (changes.length > 0) {
    next.last_modified = now.toISOString();
    next.version = organization.version + 1;
  }
  return { organization: next, changes };
}

/**
 * The member `userId` of the organization, or null. The id comes from a request: only the map's own
 * entries count (`constructor` or `__proto__` are nobody, not Object.prototype).
 */
export function memberOf(organization: Pick<Organization, 'members'>, userId: string): Member | null {
  return Object.hasOwn(organization.members, userId) ? (organization.members[userId] ?? null) : null;
}

/** The role `userId` holds in the organization, or null. */
export function roleIn(organization: Pick<Organization, 'members'>, userId: string | null): OrgRole | null {
  if (!userId) return null;
  return memberOf(organization, userId)?.role ?? null;
}

/** Members in the order they joined (udata keeps them in a list). */
export function membersOf(organization: Pick<Organization, 'members'>): Member[] {
  return Object.values(organization.members).sort(
    (a, b) => a.since.localeCompare(b.since) || a.user.id.localeCompare(b.user.id),
  );
}

/** The role the caller holds in the organization (null for anonymous callers and non-members). */
export function callerRole(organization: Pick<Organization, 'members'>, caller: Caller): OrgRole | null {
  return roleIn(organization, caller.kind === 'user' ? caller.id : null);
}
