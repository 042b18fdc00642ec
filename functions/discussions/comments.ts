import {
  actorOf,
  type Caller,
  type Discussion,
  editComment,
  ForbiddenError,
  findComment,
  isAllowed,
  NotFoundError,
  presentDiscussion,
  removeComment,
  spamReason,
} from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import { changeDiscussion, discussionEvent } from '@portail/store';
import { bannedWords } from './config';
import type { discussionRoutes } from './routes';

/** The comment named by index or id in the discussion as it is now; 404 when there is none. */
function commentIn(discussion: Discussion, indexOrId: string, caller: Caller) {
  const found = findComment(discussion, indexOrId);
  const moderator = isAllowed(caller, { action: 'moderate' });
  const mine = caller.kind === 'user' && found?.comment.posted_by.id === caller.id;
  // A held comment is as unknown as a missing one to whoever may not see it.
  if (!found || (found.comment.held && !moderator && !mine)) {
    throw new NotFoundError(`Comment "${indexOrId}" not found in this discussion.`);
  }
  return found;
}

export const updateDiscussionComment: RouteHandler<typeof discussionRoutes.updateDiscussionComment> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(caller, params.id, 'read');
  const now = new Date();
  const moderator = isAllowed(caller, { action: 'moderate' });
  const held = moderator ? null : spamReason(body.comment, bannedWords());
  const updated = await changeDiscussion(
    discussion,
    (state) => {
      const { index, comment } = commentIn(state, params.comment, caller);
      if (!isAllowed(caller, { action: 'discussion.comment.edit', author: comment.posted_by.id })) {
        throw new ForbiddenError('Only the author of a comment may edit it.');
      }
      if (comment.content === body.comment) return { next: state, result: state, events: () => [] };
      const edited = editComment(state, index, body.comment, now);
      // An edit the spam rule finds suspicious holds the comment again until a sysadmin publishes it.
      const next = held
        ? {
            ...edited,
            comments: edited.comments.map((c, at) => (at === index ? { ...c, held } : c)),
          }
        : edited;
      const published = !next.held && !(next.comments[index]?.held ?? null);
      return {
        next,
        result: next,
        events: (after) =>
          published
            ? [
                discussionEvent('discussion.comment.updated', after, actorOf(caller), now, {
                  comment: comment.id,
                }),
              ]
            : [],
        ...(held
          ? {
              held: {
                about: { class: 'DiscussionComment' as const, id: comment.id, discussion: state.id },
                reason: held,
              },
            }
          : {}),
      };
    },
    now,
  );
  return { status: 200, body: presentDiscussion(updated, reader, urls) };
};

export const deleteDiscussionComment: RouteHandler<typeof discussionRoutes.deleteDiscussionComment> = async ({
  params,
  caller,
}) => {
  const { discussion } = await loadDiscussion(caller, params.id, 'read');
  const now = new Date();
  await changeDiscussion(
    discussion,
    (state) => {
      const { index, comment } = commentIn(state, params.comment, caller);
      const next = removeComment(state, index);
      if (!isAllowed(caller, { action: 'discussion.comment.delete', author: comment.posted_by.id })) {
        throw new ForbiddenError('Only the author of a comment, or a sysadmin, may delete it.');
      }
      return {
        next,
        result: null,
        events: (after) =>
          after.held || comment.held
            ? []
            : [
                discussionEvent('discussion.comment.deleted', after, actorOf(caller), now, {
                  comment: comment.id,
                }),
              ],
      };
    },
    now,
  );
  return { status: 204 };
};
