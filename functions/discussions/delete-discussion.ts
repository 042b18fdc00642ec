import { actorOf } from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import { changeDiscussion, discussionEvent } from '@portail/store';
import type { discussionRoutes } from './routes';

/** Deleted for good, as in udata (its author, or a sysadmin); the totals follow from the stream. */
export const deleteDiscussion: RouteHandler<typeof discussionRoutes.deleteDiscussion> = async ({
  params,
  caller,
}) => {
  const { discussion } = await loadDiscussion(
    caller,
    params.id,
    'delete',
    'Only the author of a discussion, or a sysadmin, may delete it.',
  );
  const now = new Date();
  await changeDiscussion(
    discussion,
    (state) => ({
      next: null,
      result: null,
      events: () =>
        state.held ? [] : [discussionEvent('discussion.deleted', state, actorOf(caller), now, {})],
    }),
    now,
  );
  return { status: 204 };
};
