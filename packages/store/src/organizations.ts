import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  applyOrganizationUpdate,
  baseSlug,
  looksLikeId,
  type Member,
  type MemberUser,
  memberUserSnapshot,
  NotFoundError,
  newId,
  newOrganization,
  type Organization,
  type OrganizationCreateInput,
  OrganizationSchema,
  type OrganizationUpdateInput,
  organizationPassesFilters,
  RESERVED_ORGANIZATION_SLUGS,
  type StoredImage,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { readCounter } from './counters';
import { filterFollowed, followedIds } from './follows';
import { keys } from './keys';
import { type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { type NamedItem, named, tableName } from './transact';
import { findUserById } from './users';
import { LOCK, type Plan, unchanged, versionedWrite } from './versioned-write';

function toItem(organization: Organization): Record<string, unknown> {
  const listing = organization.deleted
    ? {}
    : keys.organizationListing(organization.created_at, organization.id);
  return { ...keys.organization(organization.id), type: 'Organization', ...listing, ...organization };
}

export function organizationFromItem(item: Record<string, unknown>): Organization {
  return OrganizationSchema.parse(item);
}

/** The item that makes a user a member once and lists the organization among the user's (GSI1). */
export function memberItem(orgId: string, member: Member): Record<string, unknown> {
  return {
    ...keys.organizationMember(orgId, member.user.id),
    ...keys.userOrganizations(member.user.id, orgId),
    type: 'Member',
    organization: orgId,
    user_id: member.user.id,
    role: member.role,
    since: member.since,
  };
}

export function organizationSubject(id: string) {
  return { class: 'Organization' as const, id };
}

/** What a membership remembers of a user; 404 when the account does not exist (or was deleted). */
export async function memberUserOf(userId: string, field?: string): Promise<MemberUser> {
  const user = await findUserById(userId);
  if (!user || user.deleted) {
    throw new NotFoundError(`${field ? `${field}: ` : ''}No user has the id "${userId}".`);
  }
  return memberUserSnapshot(user);
}

/** Creates the organization with its creator as its first admin, in one transaction. */
export async function createOrganization(
  input: OrganizationCreateInput,
  creatorId: string,
  actor: Actor,
  now = new Date(),
): Promise<Organization> {
  const creator = await memberUserOf(creatorId);
  const id = newId(now);
  let created: Organization | undefined;
  await writeWithUniqueSlug('organization', baseSlug(input.name, RESERVED_ORGANIZATION_SLUGS), id, (slug) => {
    created = newOrganization(input, { id, slug }, creator, now);
    return [
      named('organization', {
        Put: {
          TableName: tableName(),
          Item: toItem(created),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      named('member', {
        Put: {
          TableName: tableName(),
          Item: memberItem(id, created.members[creator.id]!),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      outboxPut(buildEvent('organization.created', organizationSubject(id), actor, now, { slug })),
    ];
  });
  return created!;
}

/** An organization by id, without judging its state (deleted ones included). */
export async function findOrganizationById(id: string): Promise<Organization | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.organization(id), ConsistentRead: true }),
  );
  return Item ? organizationFromItem(Item) : null;
}

/** By id or by any slug it ever had: one or two key lookups. */
export async function findOrganization(idOrSlug: string): Promise<Organization | null> {
  if (looksLikeId(idOrSlug)) {
    const byId = await findOrganizationById(idOrSlug);
    if (byId) return byId;
  }
  const id = await resolveSlug('organization', idOrSlug);
  return id ? findOrganizationById(id) : null;
}

/** Writes `organization` over the version read (its `version` already bumped by the caller). */
export function lockedPut(organization: Organization, readVersion: number): NamedItem {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem(organization),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': readVersion },
    },
  });
}

/**
 * Merges a PUT body over `current` under the optimistic lock on `version` (membership changes bump it
 * too, so a PUT never writes back a stale member list); a concurrent write makes it read again
 * (`reload`, through the access module) and replay. A new name reserves its slug in the same transaction.
 */
export async function updateOrganization(
  current: Organization,
  input: OrganizationUpdateInput,
  actor: Actor,
  reload: () => Promise<Organization>,
  now = new Date(),
): Promise<Organization> {
  return versionedWrite({
    state: current,
    reload,
    plan: (read): Plan<Organization> => {
      const { organization: next, changes } = applyOrganizationUpdate(read, input, now);
      if (changes.length === 0) return unchanged(read);
      const write = (organization: Organization) => ({
        items: [
          lockedPut(organization, read.version),
          outboxPut(
            buildEvent('organization.updated', organizationSubject(read.id), actor, now, {
              changes,
              slug: organization.slug,
            }),
          ),
        ],
        result: organization,
      });
      const base = baseSlug(next.name, RESERVED_ORGANIZATION_SLUGS);
      if (!changes.includes('name') || base === baseSlug(read.name, RESERVED_ORGANIZATION_SLUGS)) {
        return write(next);
      }
      return {
        slug: { kind: 'organization', base, owner: read.id },
        build: (slug) => write({ ...next, slug }),
      };
    },
    conflict: 'The organization changed while it was being updated; please retry.',
  });
}

/**
 * One field of an organization changed (its badges, its logo): the next state, its put under the lock
 * on the version read, and the `organization.updated` event naming the field, so what datasets, reuses
 * and contact points keep of their organization follows.
 */
function organizationChange(
  read: Organization,
  field: Pick<Organization, 'badges'> | Pick<Organization, 'logo'>,
  actor: Actor,
  now: Date,
): { next: Organization; items: ReturnType<typeof lockedPut | typeof outboxPut>[] } {
  const next: Organization = {
    ...read,
    ...field,
    last_modified: now.toISOString(),
    version: read.version + 1,
  };
  const changes = Object.keys(field);
  return {
    next,
    items: [
      lockedPut(next, read.version),
      outboxPut(
        buildEvent('organization.updated', organizationSubject(read.id), actor, now, {
          changes,
          slug: read.slug,
        }),
      ),
    ],
  };
}

/**
 * Sets an organization's badges (a sysadmin's act) under the optimistic lock on `version`, replayed over
 * a newer state; the event says `badges` changed, so what datasets keep of their organization follows.
 */
export async function setOrganizationBadges(
  current: Organization,
  change: (read: Organization) => Organization['badges'],
  actor: Actor,
  reload: () => Promise<Organization>,
  now = new Date(),
): Promise<Organization> {
  return versionedWrite({
    state: current,
    reload,
    plan: (read): Plan<Organization> => {
      const badges = change(read);
      if (JSON.stringify(badges) === JSON.stringify(read.badges)) return unchanged(read);
      const { next, items } = organizationChange(read, { badges }, actor, now);
      const added = badges.filter((badge) => !read.badges.some((held) => held.kind === badge.kind));
      const news = added.map((badge) =>
        outboxPut(
          buildEvent('organization.badge.added', organizationSubject(read.id), actor, now, {
            kind: badge.kind,
          }),
        ),
      );
      return { items: [...items, ...news], result: next };
    },
    conflict: 'The organization changed while its badges were being set; please retry.',
  });
}

/** Soft delete: non-members get 410 afterwards; members keep their membership and still read it. */
export async function deleteOrganization(
  current: Organization,
  actor: Actor,
  reload: () => Promise<Organization>,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: current,
    reload,
    plan: (read) => {
      const at = now.toISOString();
      const deleted: Organization = { ...read, deleted: at, last_modified: at, version: read.version + 1 };
      return {
        items: [
          lockedPut(deleted, read.version),
          outboxPut(buildEvent('organization.deleted', organizationSubject(read.id), actor, now)),
        ],
        result: undefined,
      };
    },
    conflict: 'The organization changed while it was being deleted; please retry.',
  });
}

export interface OrganizationPage {
  organizations: Organization[];
  total: number;
  nextCursor: string | null;
}

/** Live organizations, newest first: a Query on GSI1 and the counter read, in parallel. */
export async function listOrganizations(options: ListingOptions): Promise<OrganizationPage> {
  const [page, total] = await Promise.all([
    queryListing(keys.organizationListingPartition(), options),
    readCounter('organizations'),
  ]);
  return { organizations: page.items.map(organizationFromItem), total, nextCursor: page.nextCursor };
}

/**
 * The live organizations a user follows, most recently followed first (udata's `followed_by`): a page
 * of their follows (GSI3), then the organizations by key (one BatchGetItem); with `badge`, every one
 * they follow read by key and filtered (`total` exact).
 */
export async function listFollowedOrganizations(
  userId: string,
  options: ListingOptions,
  filters: { badge?: string } = {},
): Promise<OrganizationPage> {
  if (filters.badge !== undefined) {
    const page = await filterFollowed(
      userId,
      'organization',
      readOrganizations,
      (organization) => !organization.deleted && organizationPassesFilters(organization, filters),
      options,
    );
    return { organizations: page.objects, total: page.total, nextCursor: page.nextCursor };
  }
  const page = await followedIds(userId, 'organization', options);
  const found = await readOrganizations(page.ids);
  const organizations = page.ids.flatMap((id) => {
    const organization = found.get(id);
    return organization && !organization.deleted ? [organization] : [];
  });
  return { organizations, total: page.total, nextCursor: page.nextCursor };
}

/** Organizations by id (BatchGetItem, 100 a call). */
async function readOrganizations(ids: readonly string[]): Promise<Map<string, Organization>> {
  const found = await batchGetItems(ids.map((id) => keys.organization(id)));
  return new Map(
    found.map((item) => {
      const organization = organizationFromItem(item);
      return [organization.id, organization] as const;
    }),
  );
}

/**
 * Sets (or removes) an organization's logo under the optimistic lock, replayed over a newer state; the
 * event says `logo` changed, so what datasets keep of their organization follows. Answers the logo it
 * replaced, for its files to be deleted.
 */
export async function setOrganizationLogo(
  current: Organization,
  logo: StoredImage | null,
  actor: Actor,
  now = new Date(),
): Promise<{ organization: Organization; replaced: StoredImage | null }> {
  return versionedWrite({
    state: current,
    reload: async (read) => (await findOrganizationById(read.id)) ?? read,
    plan: (read): Plan<{ organization: Organization; replaced: StoredImage | null }> => {
      const { next, items } = organizationChange(read, { logo }, actor, now);
      return {
        items,
        result: { organization: next, replaced: read.logo },
      };
    },
    conflict: 'The organization changed while its logo was being set; please retry.',
  });
}
