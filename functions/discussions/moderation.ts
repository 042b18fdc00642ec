import { actorOf, findComment, NotFoundError, presentDiscussion, publishHeld } from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import { changeDiscussion, discussionEvent } from '@portail/store';
import type { discussionRoutes } from './routes';

const MODERATORS_ONLY = 'Only a sysadmin may publish what the spam rule held.';

/** A sysadmin publishes a held discussion: listed, counted and announced from now on. */
export const publishHeldDiscussion: RouteHandler<typeof discussionRoutes.publishHeldDiscussion> = async ({
  params,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(caller, params.id, 'moderate', MODERATORS_ONLY);
  const now = new Date();
  const updated = await changeDiscussion(
    discussion,
    (state) => {
      if (!state.held) return { next: state, result: state, events: () => [] };
      const next = publishHeld(state, null);
      return {
        next,
        result: next,
        events: (after) => [
          discussionEvent('discussion.created', after, actorOf(caller), now, {
            comment: after.comments[0]?.id ?? '',
            organization: after.organization?.id ?? null,
          }),
        ],
      };
    },
    now,
  );
  return { status: 200, body: presentDiscussion(updated, reader, urls) };
};

/** A sysadmin publishes a held comment: shown to everyone and announced from now on. */
export const publishHeldComment: RouteHandler<typeof discussionRoutes.publishHeldComment> = async ({
  params,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(caller, params.id, 'moderate', MODERATORS_ONLY);
  const now = new Date();
  const updated = await changeDiscussion(
    discussion,
    (state) => {
      const found = findComment(state, params.comment);
      if (!found) throw new NotFoundError(`Comment "${params.comment}" not found in this discussion.`);
      if (!found.comment.held) return { next: state, result: state, events: () => [] };
      const next = publishHeld(state, found.index);
      return {
        next,
        result: next,
        events: (after) =>
          after.held
            ? []
            : [
                discussionEvent('discussion.commented', after, actorOf(caller), now, {
                  comment: found.comment.id,
                  author: found.comment.posted_by.id,
                }),
              ],
      };
    },
    now,
  );
  return { status: 200, body: presentDiscussion(updated, reader, urls) };
};
