import { actorOf, presentDiscussion } from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import { changeDiscussion, discussionEvent } from '@portail/store';
import type { discussionRoutes } from './routes';

/** A new title (its author, or a sysadmin); the same title changes nothing. */
export const updateDiscussion: RouteHandler<typeof discussionRoutes.updateDiscussion> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(
    caller,
    params.id,
    'edit',
    'Only the author of a discussion may change its title.',
  );
  const now = new Date();
  const updated = await changeDiscussion(
    discussion,
    (state) => {
      if (state.title === body.title) return { next: state, result: state, events: () => [] };
      const next = { ...state, title: body.title };
      return {
        next,
        result: next,
        events: (after) =>
          after.held
            ? []
            : [discussionEvent('discussion.updated', after, actorOf(caller), now, { changes: ['title'] })],
      };
    },
    now,
  );
  return { status: 200, body: presentDiscussion(updated, reader, urls) };
};
