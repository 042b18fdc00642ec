import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  ConflictError,
  fullName,
  type Member,
  type MembershipRequest,
  MembershipRequestSchema,
  type MembershipStatus,
  NotFoundError,
  newId,
  newMembershipRequest,
  type Organization,
  type OrgRole,
  OrgRoleSchema,
  ValidationError,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { keys } from './keys';
import { memberItem, memberUserOf, organizationFromItem, organizationSubject } from './organizations';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { cancellationCodes, type TransactItem, tableName, transactWrite } from './transact';

const FAILED = 'ConditionalCheckFailed';

function actorId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

function requestItem(request: MembershipRequest): Record<string, unknown> {
  return {
    ...keys.membershipRequest(request.organization, request.id),
    type: 'MembershipRequest',
    ...request,
  };
}

/** The role a user holds in an organization, or null: one GetItem. */
export async function getMemberRole(orgId: string, userId: string): Promise<OrgRole | null> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.organizationMember(orgId, userId),
      ProjectionExpression: '#role',
      ExpressionAttributeNames: { '#role': 'role' },
    }),
  );
  const role = OrgRoleSchema.safeParse(Item?.role);
  return role.success ? role.data : null;
}

export interface UserOrganization {
  organization: Organization;
  role: OrgRole;
}

export interface UserMembership {
  organization: string;
  role: OrgRole;
}

/** The ids of the organizations a user belongs to, with the user's role: a Query on GSI1 (`USER#<id>#ORGS`). */
export async function listUserMemberships(userId: string): Promise<UserMembership[]> {
  const items = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.userOrganizationsPartition(userId) },
  });
  const memberships: UserMembership[] = [];
  for (const item of items) {
    const role = OrgRoleSchema.safeParse(item.role);
    if (typeof item.organization === 'string' && role.success) {
      memberships.push({ organization: item.organization, role: role.data });
    }
  }
  return memberships;
}

/**
 * The organizations a user belongs to, with the user's role: the memberships (above), then BatchGet of
 * the organizations. Deleted organizations are left out unless asked for.
 */
export async function listUserOrganizations(
  userId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<UserOrganization[]> {
  const memberships = await listUserMemberships(userId);
  const items = await batchGetItems(memberships.map(({ organization }) => keys.organization(organization)));
  const organizations = new Map<string, Organization>();
  for (const item of items) {
    const organization = organizationFromItem(item);
    organizations.set(organization.id, organization);
  }
  return memberships.flatMap(({ organization: id, role }) => {
    const organization = organizations.get(id);
    if (!organization || (organization.deleted && !options.includeDeleted)) return [];
    return [{ organization, role }];
  });
}

/** A membership request of the organization (consistent read), or null. */
export async function findMembershipRequest(
  orgId: string,
  requestId: string,
): Promise<MembershipRequest | null> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.membershipRequest(orgId, requestId),
      ConsistentRead: true,
    }),
  );
  return Item ? MembershipRequestSchema.parse(Item) : null;
}

/** A membership request of the organization; 404 when unknown. */
export async function getMembershipRequest(orgId: string, requestId: string): Promise<MembershipRequest> {
  const request = await findMembershipRequest(orgId, requestId);
  if (!request) throw new NotFoundError(`Unknown membership request id "${requestId}".`);
  return request;
}

/** The organization's membership requests, oldest first, optionally of one status or one user. */
export async function listMembershipRequests(
  orgId: string,
  filters: { status?: MembershipStatus; user?: string } = {},
): Promise<MembershipRequest[]> {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':pk': keys.organization(orgId).PK,
    ':prefix': keys.membershipRequestPrefix(),
  };
  if (filters.status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filters.status;
  }
  if (filters.user) {
    conditions.push('#user.#id = :user');
    names['#user'] = 'user';
    names['#id'] = 'id';
    values[':user'] = filters.user;
  }
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ...(conditions.length > 0
      ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
      : {}),
    ExpressionAttributeValues: values,
    ConsistentRead: true,
  });
  return items.map((item) => MembershipRequestSchema.parse(item));
}

const MAX_ATTEMPTS = 3;

function alreadyMember(organization: Organization, name: string): ConflictError {
  return new ConflictError(`${name} is already a member of organization "${organization.name}".`);
}

/**
 * Asks to join: a new pending request (`created`), or the comment of the user's pending request
 * updated. One pending request per user and organization is guaranteed by the conditional put of the
 * `PENDING#<user>` marker in the same transaction.
 */
export async function requestMembership(
  organization: Organization,
  userId: string,
  comment: string,
  actor: Actor,
  now = new Date(),
): Promise<{ request: MembershipRequest; created: boolean }> {
  if (organization.members[userId]) throw new ConflictError('You are already a member of this organization.');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { Item: marker } = await documentClient.send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.pendingMembershipRequest(organization.id, userId),
        ConsistentRead: true,
      }),
    );
    if (typeof marker?.request_id === 'string') {
      const pending = await getMembershipRequest(organization.id, marker.request_id);
      const updated: MembershipRequest = { ...pending, comment };
      try {
        await transactWrite([
          {
            Update: {
              TableName: tableName(),
              Key: keys.membershipRequest(organization.id, pending.id),
              UpdateExpression: 'SET #comment = :comment',
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#comment': 'comment', '#status': 'status' },
              ExpressionAttributeValues: { ':comment': comment, ':pending': 'pending' },
            },
          },
          outboxPut(
            buildEvent(
              'organization.membership.requested',
              organizationSubject(organization.id),
              actor,
              now,
              {
                request: pending.id,
                user: userId,
                updated: true,
              },
            ),
          ),
        ]);
        return { request: updated, created: false };
      } catch (error) {
        // Handled in the meantime: ask again, as a new request.
        if (cancellationCodes(error)?.[0] !== FAILED) throw error;
        continue;
      }
    }
    const user = await memberUserOf(userId);
    const request = newMembershipRequest(
      { id: newId(now), organization: organization.id },
      user,
      comment,
      now,
    );
    try {
      await transactWrite([
        {
          ConditionCheck: {
            TableName: tableName(),
            Key: keys.organizationMember(organization.id, userId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.pendingMembershipRequest(organization.id, userId),
              type: 'PendingMembershipRequest',
              request_id: request.id,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: requestItem(request),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        outboxPut(
          buildEvent('organization.membership.requested', organizationSubject(organization.id), actor, now, {
            request: request.id,
            user: userId,
          }),
        ),
      ]);
      return { request, created: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === FAILED) throw new ConflictError('You are already a member of this organization.');
      // Another request was made at the same moment: update it instead.
      if (codes?.[1] !== FAILED) throw error;
    }
  }
  throw new ConflictError('Your membership request changed at the same time; please retry.');
}

/** Refuses acting on a request that is no longer pending, saying what became of it. */
function assertPending(request: MembershipRequest, verb: 'accept' | 'refuse' | 'cancel'): void {
  if (request.status === 'pending') return;
  const message = `This membership request was already ${request.status}; only a pending request can be ${verb === 'cancel' ? 'canceled' : `${verb}ed`}.`;
  // Accepting twice is udata's 409 (the user is a member already); other transitions are bad requests.
  if (verb === 'accept' && request.status === 'accepted') throw new ConflictError(message);
  throw new ValidationError(message);
}

/** The items that close a pending request: status change (conditioned on pending) and marker removal. */
function closeRequestItems(
  request: { organization: string; id: string; user: { id: string } },
  status: Exclude<MembershipStatus, 'pending'>,
  handledBy: string | null,
  now: Date,
  refusalComment: string | null = null,
): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: keys.membershipRequest(request.organization, request.id),
        UpdateExpression:
          'SET #status = :status, handled_on = :at, handled_by = :by, refusal_comment = :refusal',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': now.toISOString(),
          ':by': handledBy,
          ':refusal': refusalComment,
          ':pending': 'pending',
        },
      },
    },
    {
      Delete: {
        TableName: tableName(),
        Key: keys.pendingMembershipRequest(request.organization, request.user.id),
      },
    },
  ];
}

/**
 * The items that add a member: their member item (conditioned on not existing) and the organization
 * item's side (the member in the map, `admin_count`, `version`), in that order.
 */
function addMemberItems(orgId: string, member: Member): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: memberItem(orgId, member),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.organization(orgId),
        UpdateExpression:
          member.role === 'admin'
            ? 'SET members.#user = :member ADD version :one, admin_count :one'
            : 'SET members.#user = :member ADD version :one',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(members.#user)',
        ExpressionAttributeNames: { '#user': member.user.id },
        ExpressionAttributeValues: { ':member': member, ':one': 1 },
      },
    },
  ];
}

/**
 * Accepts a pending request: the user becomes an editor. One transaction conditioned on the request
 * still being pending and the member item not existing, so two admins accepting at the same moment
 * produce one membership (the second one gets a 409).
 */
export async function acceptMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  actor: Actor,
  now = new Date(),
): Promise<Member> {
  assertPending(request, 'accept');
  if (organization.members[request.user.id]) throw alreadyMember(organization, fullName(request.user));
  const member: Member = { user: request.user, role: 'editor', since: now.toISOString() };
  try {
    await transactWrite([
      ...closeRequestItems(request, 'accepted', actorId(actor), now),
      ...addMemberItems(organization.id, member),
      outboxPut(
        buildEvent('organization.membership.accepted', organizationSubject(organization.id), actor, now, {
          request: request.id,
          user: request.user.id,
          role: member.role,
        }),
      ),
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === FAILED) {
      assertPending(await getMembershipRequest(organization.id, request.id), 'accept');
    }
    if (codes?.[2] === FAILED || codes?.[3] === FAILED) {
      throw alreadyMember(organization, fullName(request.user));
    }
    if (codes?.includes(FAILED)) {
      throw new ConflictError('The membership request changed at the same time; please retry.');
    }
    throw error;
  }
  return member;
}

async function closeRequest(
  organization: Organization,
  request: MembershipRequest,
  status: 'refused' | 'canceled',
  actor: Actor,
  now: Date,
  refusalComment: string | null,
): Promise<MembershipRequest> {
  const verb = status === 'refused' ? 'refuse' : 'cancel';
  assertPending(request, verb);
  try {
    await transactWrite([
      ...closeRequestItems(request, status, actorId(actor), now, refusalComment),
      outboxPut(
        buildEvent(`organization.membership.${status}`, organizationSubject(organization.id), actor, now, {
          request: request.id,
          user: request.user.id,
        }),
      ),
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.[0] !== FAILED) throw error;
    assertPending(await getMembershipRequest(organization.id, request.id), verb);
    throw new ConflictError('The membership request changed at the same time; please retry.');
  }
  return {
    ...request,
    status,
    handled_on: now.toISOString(),
    handled_by: actorId(actor),
    refusal_comment: refusalComment,
  };
}

/** Refuses a pending request, telling the user why (`refusal_comment`). */
export function refuseMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  comment: string,
  actor: Actor,
  now = new Date(),
): Promise<MembershipRequest> {
  return closeRequest(organization, request, 'refused', actor, now, comment);
}

/** Cancels a pending request (its author changed their mind, or an admin cleans up). */
export function cancelMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  actor: Actor,
  now = new Date(),
): Promise<MembershipRequest> {
  return closeRequest(organization, request, 'canceled', actor, now, null);
}

/**
 * An admin adds a user directly. A pending request of that user is closed as accepted in the same
 * transaction, so it does not linger in the admins' list.
 */
export async function addMember(
  organization: Organization,
  userId: string,
  role: OrgRole,
  actor: Actor,
  now = new Date(),
): Promise<Member> {
  const existing = organization.members[userId];
  if (existing) throw alreadyMember(organization, fullName(existing.user));
  const [user, marker] = await Promise.all([
    memberUserOf(userId, 'user'),
    documentClient.send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.pendingMembershipRequest(organization.id, userId),
        ConsistentRead: true,
      }),
    ),
  ]);
  const member: Member = { user, role, since: now.toISOString() };
  const pendingId = typeof marker.Item?.request_id === 'string' ? marker.Item.request_id : null;
  const closePending = pendingId
    ? closeRequestItems(
        { organization: organization.id, id: pendingId, user },
        'accepted',
        actorId(actor),
        now,
      )
    : [];
  try {
    await transactWrite([
      ...addMemberItems(organization.id, member),
      outboxPut(
        buildEvent('organization.member.added', organizationSubject(organization.id), actor, now, {
          user: userId,
          role,
          ...(pendingId ? { request: pendingId } : {}),
        }),
      ),
      ...closePending,
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === FAILED || codes?.[1] === FAILED) throw alreadyMember(organization, fullName(user));
    if (codes?.includes(FAILED)) {
      throw new ConflictError("The user's membership request changed at the same time; please retry.");
    }
    throw error;
  }
  return member;
}

function notAMember(userId: string): NotFoundError {
  return new NotFoundError(`User "${userId}" is not a member of this organization.`);
}

function lastAdmin(action: 'removed' | 'demoted'): ValidationError {
  const message = `The last admin of an organization cannot be ${action}: make another member admin first.`;
  return action === 'demoted' ? ValidationError.field('role', message) : new ValidationError(message);
}

/**
 * Changes a member's role. Demoting an admin is conditioned on `admin_count > 1` in the same
 * transaction, so an organization keeps at least one admin even when two admins step down at once.
 */
export async function changeMemberRole(
  organization: Organization,
  userId: string,
  role: OrgRole,
  actor: Actor,
  now = new Date(),
): Promise<Member> {
  const current = organization.members[userId];
  if (!current) throw notAMember(userId);
  if (current.role === role) return current;
  const demoting = current.role === 'admin';
  if (demoting && organization.admin_count <= 1) throw lastAdmin('demoted');
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.organizationMember(organization.id, userId),
          UpdateExpression: 'SET #role = :role',
          ConditionExpression: '#role = :current',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':role': role, ':current': current.role },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.organization(organization.id),
          UpdateExpression: 'SET members.#user.#role = :role ADD version :one, admin_count :delta',
          ConditionExpression: demoting ? 'admin_count > :one' : 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#user': userId, '#role': 'role' },
          ExpressionAttributeValues: { ':role': role, ':one': 1, ':delta': demoting ? -1 : 1 },
        },
      },
      outboxPut(
        buildEvent('organization.member.role-changed', organizationSubject(organization.id), actor, now, {
          user: userId,
          role,
          previous: current.role,
        }),
      ),
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === FAILED) {
      throw new ConflictError("The member's role changed at the same time; please retry.");
    }
    if (codes?.[1] === FAILED) throw lastAdmin('demoted');
    throw error;
  }
  return { ...current, role };
}

/** Removes a member (an admin removing them, or the member leaving); never the last admin. */
export async function removeMember(
  organization: Organization,
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const current = organization.members[userId];
  if (!current) throw notAMember(userId);
  const admin = current.role === 'admin';
  if (admin && organization.admin_count <= 1) throw lastAdmin('removed');
  try {
    await transactWrite([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.organizationMember(organization.id, userId),
          ConditionExpression: '#role = :current',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':current': current.role },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.organization(organization.id),
          UpdateExpression: admin
            ? 'REMOVE members.#user ADD version :one, admin_count :minus'
            : 'REMOVE members.#user ADD version :one',
          ConditionExpression: admin ? 'admin_count > :one' : 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#user': userId },
          ExpressionAttributeValues: admin ? { ':one': 1, ':minus': -1 } : { ':one': 1 },
        },
      },
      outboxPut(
        buildEvent('organization.member.removed', organizationSubject(organization.id), actor, now, {
          user: userId,
          role: current.role,
          left: actorId(actor) === userId,
        }),
      ),
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === FAILED) {
      throw new ConflictError('The membership changed at the same time; please retry.');
    }
    if (codes?.[1] === FAILED) throw lastAdmin('removed');
    throw error;
  }
}
