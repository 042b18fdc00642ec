import {
  type Caller,
  type Discussion,
  type DiscussionIntent,
  type DiscussionReader,
  discussionVerdict,
  type OrgRole,
} from '@portail/core';
import { findDiscussion, listUserMemberships } from '@portail/store';
import { enforce } from './refusals';
import { roleMatters, roleOf } from './roles';

export interface DiscussionAccess {
  discussion: Discussion;
  /** The caller as the discussion's `permissions` block needs them (their role in the subject's owner). */
  reader: DiscussionReader;
}

/** The caller's role in the organization owning a discussion's subject (one GetItem, when it matters). */
async function subjectRole(caller: Caller, discussion: Discussion): Promise<OrgRole | null> {
  const owner = discussion.subject_owner;
  return owner.kind === 'organization' ? roleOf(caller, owner.id) : null;
}

/**
 * A discussion (one GetItem) the caller may `intent`: 404 unknown, 404 held for moderation to whoever
 * is neither its author nor a sysadmin, 403 not theirs to change.
 */
export async function loadDiscussion(
  caller: Caller,
  id: string,
  intent: DiscussionIntent,
  forbidden?: string,
): Promise<DiscussionAccess> {
  const discussion = await findDiscussion(id);
  enforce(
    discussionVerdict(
      caller,
      discussion && { author: discussion.user.id, held: discussion.held !== null },
      intent,
    ),
    {
      notFound: `Discussion "${id}" not found.`,
      gone: `Discussion "${id}" has been deleted.`,
      ...(forbidden ? { forbidden } : {}),
    },
  );
  const found = discussion as Discussion;
  return { discussion: found, reader: { caller, subjectRole: await subjectRole(caller, found) } };
}

/**
 * Readers of a page of discussions: the caller's memberships (one Query, only when a discussion of the
 * page is about something an organization owns) give their role for each discussion's `permissions`.
 */
export async function discussionReaders(
  caller: Caller,
  discussions: readonly Discussion[],
): Promise<(discussion: Discussion) => DiscussionReader> {
  const needsRoles = discussions.some((discussion) =>
    roleMatters(
      caller,
      discussion.subject_owner.kind === 'organization' ? discussion.subject_owner.id : null,
    ),
  );
  const roles = new Map<string, OrgRole>(
    needsRoles && caller.kind === 'user'
      ? (await listUserMemberships(caller.id)).map(({ organization, role }) => [organization, role] as const)
      : [],
  );
  return (discussion) => ({
    caller,
    subjectRole:
      discussion.subject_owner.kind === 'organization'
        ? (roles.get(discussion.subject_owner.id) ?? null)
        : null,
  });
}
