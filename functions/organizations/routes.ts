/**
 * Routes of the `organizations` group (one Lambda function): organizations, members, membership requests,
 * and the users' search (the publishers' other half, served by this group's search access).
 */
import {
  facetsParamSchema,
  followedByFilterSchema,
  lazySchema,
  MemberAddInputSchema,
  MemberResponseSchema,
  MemberRoleInputSchema,
  MembershipRefuseInputSchema,
  MembershipRequestInputSchema,
  MembershipRequestResponseSchema,
  MembershipStatusSchema,
  ORGANIZATION_FACETS,
  OrganizationBadgeInputSchema,
  OrganizationBadgeListSchema,
  OrganizationBadgeSchema,
  OrganizationCreateInputSchema,
  OrganizationResponseSchema,
  OrganizationUpdateInputSchema,
  OrgRoleEntrySchema,
  organizationSearchSortSchema,
  searchTextSchema,
  UserResponseSchema,
  userSearchSortSchema,
} from '@portail/core';
import {
  defineGroup,
  listEnvelopeSchema,
  notSupportedYet,
  paginationQuery,
  searchPageSchema,
  searchPaginationQuery,
  suggestQuery,
} from '@portail/http';
import * as z from 'zod';

const org = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(300).meta({ description: 'The organization id or any slug it ever had.' }),
);
const orgParams = /* @__PURE__ */ lazySchema(() => z.object({ org }));
const requestParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    org,
    id: z.string().min(1).max(64).meta({ description: 'The membership request id.' }),
  }),
);
const memberParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    org,
    user: z.string().min(1).max(64).meta({ description: 'The member’s user id.' }),
  }),
);

export const OrganizationListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(OrganizationResponseSchema, 'OrganizationPage'),
);

const badgeFilter = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "badge" once.' })
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'A badge kind (`public-service`, `certified`…): organizations holding it.' }),
);

const tags = ['organizations'];

const organizationExtrasResponse = /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.unknown()));

export const organizationRoutes = defineGroup('organizations', {
  listOrganizations: {
    method: 'GET',
    path: '/api/1/organizations/',
    summary: 'List organizations, newest first',
    description:
      'Paginated with `page` and `page_size` like udata; `next_page` links carry a `cursor` so following them costs the same at any depth. Deleted organizations are not listed.',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        q: searchTextSchema,
        badge: badgeFilter,
        name: notSupportedYet('name'),
        business_number_id: notSupportedYet('business_number_id'),
        sort: organizationSearchSortSchema,
        followed_by: followedByFilterSchema,
      }),
    ),
    responses: { 200: { description: 'A page of organizations.', schema: OrganizationListSchema } },
  },
  searchOrganizationsV2: {
    method: 'GET',
    path: '/api/2/organizations/search/',
    summary: 'Search organizations by name, acronym and description, with the badge facet',
    description:
      'Every word of `q` must match (accents, plurals and one typo in longer words forgiven); relevance first when `q` is given. `facets=badge` counts badges, ignoring the `badge` filter. Deleted organizations are never found. Paged by offset, `page × page_size` ≤ 10,000.',
    tags: [...tags, 'search', 'v2'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...searchPaginationQuery,
        q: searchTextSchema,
        badge: badgeFilter,
        sort: organizationSearchSortSchema,
        facets: facetsParamSchema(ORGANIZATION_FACETS),
      }),
    ),
    responses: {
      200: {
        description: 'A page of organizations and the facets asked for.',
        schema: /* @__PURE__ */ lazySchema(() =>
          searchPageSchema(OrganizationResponseSchema, 'OrganizationSearchPage'),
        ),
      },
    },
  },
  suggestOrganizations: {
    method: 'GET',
    path: '/api/1/organizations/suggest/',
    summary: 'Organizations whose name or acronym matches what is being typed',
    tags: [...tags, 'search'],
    access: 'public',
    query: suggestQuery,
    responses: {
      200: {
        description: "udata's suggestion items, best first.",
        schema: /* @__PURE__ */ lazySchema(() =>
          z.array(
            z
              .object({
                id: z.string(),
                name: z.string(),
                acronym: z.string().nullable(),
                slug: z.string(),
                image_url: z.string().nullable(),
                page: z.string(),
              })
              .meta({ id: 'OrganizationSuggestion' }),
          ),
        ),
      },
    },
  },
  createOrganization: {
    method: 'POST',
    path: '/api/1/organizations/',
    summary: 'Create an organization (the caller becomes its admin)',
    description: 'Requires a confirmed account.',
    tags,
    access: 'authenticated',
    body: OrganizationCreateInputSchema,
    responses: {
      201: { description: 'The organization, with its unique slug.', schema: OrganizationResponseSchema },
      403: { description: 'The account is not confirmed yet.' },
    },
  },
  listOrganizationRoles: {
    method: 'GET',
    path: '/api/1/organizations/roles/',
    summary: 'The roles a member may hold',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'Every role id and its label.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(OrgRoleEntrySchema)),
      },
    },
  },
  listOrganizationBadges: {
    method: 'GET',
    path: '/api/1/organizations/badges/',
    summary: 'The badges an organization may carry, with their labels (as udata: kind → label)',
    tags,
    access: 'public',
    responses: { 200: { description: 'Badge kinds and labels.', schema: OrganizationBadgeListSchema } },
  },
  addOrganizationBadge: {
    method: 'POST',
    path: '/api/1/organizations/{org}/badges/',
    summary: 'Give an organization a badge (sysadmins)',
    description:
      '`{kind}`: one of `public-service`, `certified`, `association`, `company`, `local-authority`. Shown on the organization and on the organization embedded in its datasets.',
    tags,
    access: 'authenticated',
    params: orgParams,
    body: OrganizationBadgeInputSchema,
    responses: {
      200: { description: 'The organization already had it.', schema: OrganizationBadgeSchema },
      201: { description: 'The badge, given.', schema: OrganizationBadgeSchema },
      400: { description: 'An unknown kind (the message lists the kinds).' },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  removeOrganizationBadge: {
    method: 'DELETE',
    path: '/api/1/organizations/{org}/badges/{kind}/',
    summary: 'Take a badge back from an organization (sysadmins)',
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        org: orgParams.shape.org,
        kind: z.string().min(1).max(50).meta({ description: 'The badge kind.' }),
      }),
    ),
    responses: {
      204: { description: 'Removed.' },
      403: { description: 'Not a sysadmin.' },
      404: { description: 'The organization does not carry this badge (or is unknown).' },
      410: { description: 'The organization was deleted.' },
    },
  },
  getOrganization: {
    method: 'GET',
    path: '/api/1/organizations/{org}/',
    summary: 'An organization, by id or slug',
    description: 'A deleted organization answers 410, except to its members and sysadmins.',
    tags,
    access: 'public',
    params: orgParams,
    responses: {
      200: { description: 'The organization.', schema: OrganizationResponseSchema },
      410: { description: 'The organization was deleted.' },
    },
  },
  updateOrganization: {
    method: 'PUT',
    path: '/api/1/organizations/{org}/',
    summary: 'Update an organization (fields not sent keep their value)',
    description: 'Admins of the organization only.',
    tags,
    access: 'authenticated',
    params: orgParams,
    body: OrganizationUpdateInputSchema,
    responses: {
      200: { description: 'The updated organization.', schema: OrganizationResponseSchema },
      403: { description: 'Not an admin of the organization.' },
      409: { description: 'The organization changed during the update; retry.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  getOrganizationExtras: {
    method: 'GET',
    path: '/api/2/organizations/{org}/extras/',
    summary: "An organization's extras (API v2)",
    tags: [...tags, 'v2'],
    access: 'public',
    params: orgParams,
    responses: {
      200: { description: "The organization's extras.", schema: organizationExtrasResponse },
      410: { description: 'The organization was deleted.' },
    },
  },
  updateOrganizationExtras: {
    method: 'PUT',
    path: '/api/2/organizations/{org}/extras/',
    summary: "Add or change some of an organization's extras (a null value removes its key) (API v2)",
    description:
      "datagouv-client's `Organization.update_extras`. Admins of the organization only; the extras that result are checked by the rules of `extras` in an organization `PUT`.",
    tags: [...tags, 'v2'],
    access: 'authenticated',
    params: orgParams,
    body: /* @__PURE__ */ lazySchema(() =>
      z
        .record(z.string().max(255, 'Extras keys are at most 255 characters.'), z.unknown())
        .meta({ id: 'OrganizationExtrasInput' }),
    ),
    responses: {
      200: { description: "The organization's extras.", schema: organizationExtrasResponse },
      403: { description: 'Not an admin of the organization.' },
      409: { description: 'The organization changed during the update; retry.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  deleteOrganizationExtras: {
    method: 'DELETE',
    path: '/api/2/organizations/{org}/extras/',
    summary: "Remove some of an organization's extras: the body lists their keys (API v2)",
    tags: [...tags, 'v2'],
    access: 'authenticated',
    params: orgParams,
    bodyIsList: true,
    body: /* @__PURE__ */ lazySchema(() =>
      z.array(z.string().max(255, 'Extras keys are at most 255 characters.')).max(100, 'At most 100 keys.'),
    ),
    responses: {
      204: { description: 'Removed (keys the organization did not have are ignored, as in udata).' },
      403: { description: 'Not an admin of the organization.' },
      409: { description: 'The organization changed during the update; retry.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  deleteOrganization: {
    method: 'DELETE',
    path: '/api/1/organizations/{org}/',
    summary: 'Delete an organization (soft: it answers 410 to non-members afterwards)',
    description: 'Admins of the organization only.',
    tags,
    access: 'authenticated',
    params: orgParams,
    responses: {
      204: { description: 'Deleted.' },
      403: { description: 'Not an admin of the organization.' },
      410: { description: 'Already deleted.' },
    },
  },
  requestMembership: {
    method: 'POST',
    path: '/api/1/organizations/{org}/membership/',
    summary: 'Ask to join an organization',
    description:
      'Creates a pending request (201), or updates the comment of the caller’s pending request (200).',
    tags,
    access: 'authenticated',
    params: orgParams,
    body: MembershipRequestInputSchema,
    responses: {
      200: {
        description: 'The pending request, its comment updated.',
        schema: MembershipRequestResponseSchema,
      },
      201: { description: 'The new pending request.', schema: MembershipRequestResponseSchema },
      409: { description: 'The caller is already a member.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  listMembershipRequests: {
    method: 'GET',
    path: '/api/1/organizations/{org}/membership/',
    summary: 'Membership requests of an organization, oldest first',
    description:
      'Admins and editors of the organization; any user may list their own requests with `user=<their id>`.',
    tags,
    access: 'authenticated',
    params: orgParams,
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        status: MembershipStatusSchema.optional(),
        user: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .meta({ description: 'Only the requests of this user id.' }),
      }),
    ),
    responses: {
      200: {
        description: 'The requests.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(MembershipRequestResponseSchema)),
      },
      403: { description: 'Not a member of the organization.' },
    },
  },
  acceptMembership: {
    method: 'POST',
    path: '/api/1/organizations/{org}/membership/{id}/accept/',
    summary: 'Accept a pending request: the user becomes an editor',
    description: 'Admins of the organization only.',
    tags,
    access: 'authenticated',
    params: requestParams,
    responses: {
      200: { description: 'The new member.', schema: MemberResponseSchema },
      403: { description: 'Not an admin of the organization.' },
      409: { description: 'The request was already accepted, or the user is already a member.' },
    },
  },
  refuseMembership: {
    method: 'POST',
    path: '/api/1/organizations/{org}/membership/{id}/refuse/',
    summary: 'Refuse a pending request, saying why',
    description: 'Admins of the organization only. The comment becomes the request’s `refusal_comment`.',
    tags,
    access: 'authenticated',
    params: requestParams,
    body: MembershipRefuseInputSchema,
    responses: {
      200: { description: 'The refused request.', schema: MembershipRequestResponseSchema },
      403: { description: 'Not an admin of the organization.' },
    },
  },
  cancelMembership: {
    method: 'POST',
    path: '/api/1/organizations/{org}/membership/{id}/cancel/',
    summary: 'Cancel a pending request',
    description: 'The user who made it, or an admin of the organization.',
    tags,
    access: 'authenticated',
    params: requestParams,
    responses: {
      200: { description: 'The canceled request.', schema: MembershipRequestResponseSchema },
      403: { description: 'Neither the requester nor an admin.' },
    },
  },
  addOrganizationMember: {
    method: 'POST',
    path: '/api/1/organizations/{org}/member/',
    summary: 'Add a user to the organization directly',
    description:
      'Admins of the organization only. `role` defaults to `editor`. A pending request of that user is closed as accepted.',
    tags,
    access: 'authenticated',
    params: orgParams,
    body: MemberAddInputSchema,
    responses: {
      201: { description: 'The new member.', schema: MemberResponseSchema },
      403: { description: 'Not an admin of the organization.' },
      404: { description: 'No such organization, or no such user.' },
      409: { description: 'The user is already a member.' },
    },
  },
  updateOrganizationMember: {
    method: 'PUT',
    path: '/api/1/organizations/{org}/member/{user}/',
    summary: 'Change the role of a member',
    description: 'Admins of the organization only. Demoting the last admin answers 400.',
    tags,
    access: 'authenticated',
    params: memberParams,
    body: MemberRoleInputSchema,
    responses: {
      200: { description: 'The member with their new role.', schema: MemberResponseSchema },
      403: { description: 'Not an admin of the organization.' },
    },
  },
  removeOrganizationMember: {
    method: 'DELETE',
    path: '/api/1/organizations/{org}/member/{user}/',
    summary: 'Remove a member, or leave the organization',
    description: 'An admin removes anyone; a member removes themself. Removing the last admin answers 400.',
    tags,
    access: 'authenticated',
    params: memberParams,
    responses: {
      204: { description: 'Removed.' },
      403: { description: 'Neither an admin nor the member themself.' },
    },
  },
  suggestUsers: {
    method: 'GET',
    path: '/api/1/users/suggest/',
    summary: 'Accounts whose name matches what is being typed (to add a member, to offer a transfer)',
    description:
      "udata's user suggestion: active accounts (confirmed, not deleted) from the search index, best first, the last word completed. Signed-in callers only: nobody browses the people of the portal anonymously. An item names the account, never its email.",
    tags: ['users', 'search'],
    access: 'authenticated',
    query: suggestQuery,
    responses: {
      200: {
        description: "udata's suggestion items, best first.",
        schema: /* @__PURE__ */ lazySchema(() =>
          z.array(
            z
              .object({
                id: z.string(),
                first_name: z.string(),
                last_name: z.string(),
                slug: z.string(),
                avatar_url: z.string().nullable(),
                page: z.string(),
              })
              .meta({ id: 'UserSuggestion' }),
          ),
        ),
      },
    },
  },
  listUsers: {
    method: 'GET',
    path: '/api/1/users/',
    summary: 'List and search every active account (sysadmins)',
    description:
      "udata's user listing, for sysadmins: active accounts (confirmed, not deleted) from the search index, newest first, or matching `q` (first and last name, then what they say about themselves; accents, plurals and one typo in longer words forgiven) by relevance unless `sort` is given. Paged by offset, `page × page_size` ≤ 10,000.",
    tags: ['users', 'search'],
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({ ...searchPaginationQuery, q: searchTextSchema, sort: userSearchSortSchema }),
    ),
    responses: {
      200: {
        description: 'A page of users.',
        schema: /* @__PURE__ */ lazySchema(() => listEnvelopeSchema(UserResponseSchema, 'UserPage')),
      },
      403: { description: 'Not a sysadmin.' },
    },
  },
});
