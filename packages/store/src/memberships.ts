import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  acceptedMember,
  addedMember,
  alreadyMember,
  assertMayRequest,
  assertPending,
  type Member,
  type MembershipRequest,
  MembershipRequestSchema,
  type MembershipStatus,
  type MemberUser,
  memberOf,
  NotFoundError,
  newId,
  newMembershipRequest,
  type Organization,
  type OrgRole,
  OrgRoleSchema,
  REQUEST_OUTCOME,
  removal,
  roleChange,
  youAreAlreadyMember,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { keys } from './keys';
import {
  findOrganizationById,
  memberItem,
  memberUserOf,
  organizationFromItem,
  organizationSubject,
} from './organizations';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { type NamedItem, named, tableName } from './transact';
import { versionedWrite } from './versioned-write';

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

/** Reads the pending-request marker of a user in an organization: the id of their pending request, if any. */
async function pendingRequestId(orgId: string, userId: string): Promise<string | null> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.pendingMembershipRequest(orgId, userId),
      ConsistentRead: true,
    }),
  );
  return typeof Item?.request_id === 'string' ? Item.request_id : null;
}

/** What asking to join starts from: the user's pending request, or who they are for a new one. */
type JoinState = { pending: MembershipRequest } | { pending: null; user: MemberUser };

async function joinState(organization: Organization, userId: string): Promise<JoinState> {
  const requestId = await pendingRequestId(organization.id, userId);
  const pending = requestId ? await findMembershipRequest(organization.id, requestId) : null;
  return pending ? { pending } : { pending: null, user: await memberUserOf(userId) };
}

/**
 * Asks to join: a new pending request (`created`), or the comment of the user's pending request
 * updated. One pending request per user and organization is guaranteed by the conditional put of the
 * `PENDING#<user>` marker in the same transaction; a request made or handled at the same moment makes
 * this one read again and replay.
 */
export async function requestMembership(
  organization: Organization,
  userId: string,
  comment: string,
  actor: Actor,
  now = new Date(),
): Promise<{ request: MembershipRequest; created: boolean }> {
  assertMayRequest(organization, userId);
  return versionedWrite<JoinState, { request: MembershipRequest; created: boolean }>({
    state: await joinState(organization, userId),
    reload: () => joinState(organization, userId),
    plan: (state) => {
      if (state.pending) {
        const pending = state.pending;
        return {
          items: [
            named('request', {
              Update: {
                TableName: tableName(),
                Key: keys.membershipRequest(organization.id, pending.id),
                UpdateExpression: 'SET #comment = :comment',
                ConditionExpression: '#status = :pending',
                ExpressionAttributeNames: { '#comment': 'comment', '#status': 'status' },
                ExpressionAttributeValues: { ':comment': comment, ':pending': 'pending' },
              },
            }),
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
          ],
          result: { request: { ...pending, comment }, created: false },
        };
      }
      const request = newMembershipRequest(
        { id: newId(now), organization: organization.id },
        state.user,
        comment,
        now,
      );
      return {
        items: [
          named('member', {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.organizationMember(organization.id, userId),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
          named('marker', {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.pendingMembershipRequest(organization.id, userId),
                type: 'PendingMembershipRequest',
                request_id: request.id,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
          named('request', {
            Put: {
              TableName: tableName(),
              Item: requestItem(request),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
          outboxPut(
            buildEvent(
              'organization.membership.requested',
              organizationSubject(organization.id),
              actor,
              now,
              {
                request: request.id,
                user: userId,
              },
            ),
          ),
        ],
        result: { request, created: true },
      };
    },
    // A member meanwhile: refused. A request made (marker) or handled (request) meanwhile: read again.
    refused: (failure) => (failure.failedOn('member') ? youAreAlreadyMember() : null),
    conflict: 'Your membership request changed at the same time; please retry.',
  });
}

/** The items that close a pending request: its status (conditioned on pending) and its marker removed. */
function closeRequestItems(
  request: { organization: string; id: string; user: { id: string } },
  status: Exclude<MembershipStatus, 'pending'>,
  handledBy: string | null,
  now: Date,
  refusalComment: string | null = null,
): NamedItem[] {
  return [
    named('request', {
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
    }),
    named('marker', {
      Delete: {
        TableName: tableName(),
        Key: keys.pendingMembershipRequest(request.organization, request.user.id),
      },
    }),
  ];
}

/**
 * The items that add a member: their member item (`member`, conditioned on not existing) and the
 * organization item's side (`organization`: the member in the map, `admin_count`, `version`).
 */
function addMemberItems(orgId: string, member: Member): NamedItem[] {
  return [
    named('member', {
      Put: {
        TableName: tableName(),
        Item: memberItem(orgId, member),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }),
    named('organization', {
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
    }),
  ];
}

async function reloadRequest(request: MembershipRequest): Promise<MembershipRequest> {
  const current = await findMembershipRequest(request.organization, request.id);
  if (!current) throw new NotFoundError(`Unknown membership request id "${request.id}".`);
  return current;
}

/**
 * Accepts a pending request (core's rules: only a pending one, and it makes an editor). One transaction
 * conditioned on the request still being pending and the member item not existing: of two admins
 * accepting at the same moment one wins, the other reads the request again and gets the 409.
 */
export async function acceptMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  actor: Actor,
  now = new Date(),
): Promise<Member> {
  return versionedWrite({
    state: request,
    reload: reloadRequest,
    plan: (current) => {
      const member = acceptedMember(organization, current, now);
      return {
        items: [
          ...closeRequestItems(current, REQUEST_OUTCOME.accept, actorId(actor), now),
          ...addMemberItems(organization.id, member),
          outboxPut(
            buildEvent('organization.membership.accepted', organizationSubject(organization.id), actor, now, {
              request: current.id,
              user: current.user.id,
              role: member.role,
            }),
          ),
        ],
        result: member,
      };
    },
    refused: (failure, current) =>
      failure.failedOn('member') || failure.failedOn('organization')
        ? alreadyMember(organization, current.user)
        : null,
    conflict: 'The membership request changed at the same time; please retry.',
  });
}

async function closeRequest(
  organization: Organization,
  request: MembershipRequest,
  verb: 'refuse' | 'cancel',
  actor: Actor,
  now: Date,
  refusalComment: string | null,
): Promise<MembershipRequest> {
  const status = REQUEST_OUTCOME[verb];
  return versionedWrite({
    state: request,
    reload: reloadRequest,
    plan: (current) => {
      assertPending(current, verb);
      return {
        items: [
          ...closeRequestItems(current, status, actorId(actor), now, refusalComment),
          outboxPut(
            buildEvent(
              verb === 'refuse' ? 'organization.membership.refused' : 'organization.membership.canceled',
              organizationSubject(organization.id),
              actor,
              now,
              { request: current.id, user: current.user.id },
            ),
          ),
        ],
        result: {
          ...current,
          status,
          handled_on: now.toISOString(),
          handled_by: actorId(actor),
          refusal_comment: refusalComment,
        },
      };
    },
    // Handled meanwhile: read again, and the state machine says what became of it.
    refused: () => null,
    conflict: 'The membership request changed at the same time; please retry.',
  });
}

/** Refuses a pending request, telling the user why (`refusal_comment`). */
export function refuseMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  comment: string,
  actor: Actor,
  now = new Date(),
): Promise<MembershipRequest> {
  return closeRequest(organization, request, 'refuse', actor, now, comment);
}

/** Cancels a pending request (its author changed their mind, or an admin cleans up). */
export function cancelMembershipRequest(
  organization: Organization,
  request: MembershipRequest,
  actor: Actor,
  now = new Date(),
): Promise<MembershipRequest> {
  return closeRequest(organization, request, 'cancel', actor, now, null);
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
  // Already a member: refused before any read.
  const existing = memberOf(organization, userId);
  if (existing) throw alreadyMember(organization, existing.user);
  const load = async () => {
    const [user, pendingId] = await Promise.all([
      memberUserOf(userId, 'user'),
      pendingRequestId(organization.id, userId),
    ]);
    return { user, pendingId };
  };
  return versionedWrite({
    state: await load(),
    reload: load,
    plan: ({ user, pendingId }) => {
      const member = addedMember(organization, user, role, now);
      return {
        items: [
          ...addMemberItems(organization.id, member),
          outboxPut(
            buildEvent('organization.member.added', organizationSubject(organization.id), actor, now, {
              user: userId,
              role,
              ...(pendingId ? { request: pendingId } : {}),
            }),
          ),
          ...(pendingId
            ? closeRequestItems(
                { organization: organization.id, id: pendingId, user },
                REQUEST_OUTCOME.accept,
                actorId(actor),
                now,
              )
            : []),
        ],
        result: member,
      };
    },
    // Already a member: refused. Their pending request handled meanwhile: read again.
    refused: (failure, { user }) =>
      failure.failedOn('member') || failure.failedOn('organization')
        ? alreadyMember(organization, user)
        : null,
    conflict: "The user's membership request changed at the same time; please retry.",
  });
}

async function reloadOrganization(organization: Organization): Promise<Organization> {
  const current = await findOrganizationById(organization.id);
  if (!current) throw new NotFoundError(`Organization "${organization.id}" not found.`);
  return current;
}

/**
 * Changes a member's role (core's rules: a member, and never the last admin demoted). Demoting an admin
 * is conditioned on `admin_count > 1` in the same transaction, so an organization keeps an admin even
 * when two admins step down at once: the second reads the organization again and is refused.
 */
export async function changeMemberRole(
  organization: Organization,
  userId: string,
  role: OrgRole,
  actor: Actor,
  now = new Date(),
): Promise<Member> {
  return versionedWrite({
    state: organization,
    reload: reloadOrganization,
    plan: (current) => {
      const change = roleChange(current, userId, role);
      if (!change) return { items: [], result: memberOf(current, userId) as Member };
      return {
        items: [
          named('member', {
            Update: {
              TableName: tableName(),
              Key: keys.organizationMember(current.id, userId),
              UpdateExpression: 'SET #role = :role',
              ConditionExpression: '#role = :current',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':role': role, ':current': change.current.role },
            },
          }),
          named('organization', {
            Update: {
              TableName: tableName(),
              Key: keys.organization(current.id),
              UpdateExpression: 'SET members.#user.#role = :role ADD version :one, admin_count :delta',
              ConditionExpression: change.demoting ? 'admin_count > :one' : 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#user': userId, '#role': 'role' },
              ExpressionAttributeValues: { ':role': role, ':one': 1, ':delta': change.demoting ? -1 : 1 },
            },
          }),
          outboxPut(
            buildEvent('organization.member.role-changed', organizationSubject(current.id), actor, now, {
              user: userId,
              role,
              previous: change.current.role,
            }),
          ),
        ],
        result: change.next,
      };
    },
    refused: () => null,
    conflict: "The member's role changed at the same time; please retry.",
  });
}

/** Removes a member (an admin removing them, or the member leaving); never the last admin. */
export async function removeMember(
  organization: Organization,
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: organization,
    reload: reloadOrganization,
    plan: (current) => {
      const member = removal(current, userId);
      const admin = member.role === 'admin';
      return {
        items: [
          named('member', {
            Delete: {
              TableName: tableName(),
              Key: keys.organizationMember(current.id, userId),
              ConditionExpression: '#role = :current',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':current': member.role },
            },
          }),
          named('organization', {
            Update: {
              TableName: tableName(),
              Key: keys.organization(current.id),
              UpdateExpression: admin
                ? 'REMOVE members.#user ADD version :one, admin_count :minus'
                : 'REMOVE members.#user ADD version :one',
              ConditionExpression: admin ? 'admin_count > :one' : 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#user': userId },
              ExpressionAttributeValues: admin ? { ':one': 1, ':minus': -1 } : { ':one': 1 },
            },
          }),
          outboxPut(
            buildEvent('organization.member.removed', organizationSubject(current.id), actor, now, {
              user: userId,
              role: member.role,
              left: actorId(actor) === userId,
            }),
          ),
        ],
        result: undefined,
      };
    },
    refused: () => null,
    conflict: 'The membership changed at the same time; please retry.',
  });
}
