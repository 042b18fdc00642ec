import { randomUUID } from 'node:crypto';
import { actorOf, commentOn, isAllowed, ownedBy, presentDiscussion, spamReason } from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import { changeDiscussion, discussionEvent } from '@portail/store';
import { bannedWords } from './config';
import type { discussionRoutes } from './routes';
import { speakerFor } from './speaker';

/**
 * udata's `POST /discussions/{id}/`: a comment, a close, or both. The comment and the close are core's
 * rule over the discussion read (replayed over a newer one if another comment got there first).
 */
export const commentDiscussion: RouteHandler<typeof discussionRoutes.commentDiscussion> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(caller, params.id, 'comment');
  const speaker = await speakerFor(caller, body.organization);
  const now = new Date();
  const actor = actorOf(caller);
  const commentId = randomUUID();
  const moderator = isAllowed(caller, { action: 'moderate' });
  const held = body.comment && !moderator ? spamReason(body.comment, bannedWords()) : null;
  const close = body.close === true;
  const updated = await changeDiscussion(
    discussion,
    (state) => {
      const mayClose = isAllowed(caller, {
        action: 'discussion.close',
        author: state.user.id,
        subjectOwner: ownedBy(state.subject_owner),
        role: reader.subjectRole,
      });
      const { discussion: next, comment } = commentOn(
        state,
        { commentId, comment: body.comment, close, mayClose },
        speaker,
        now,
        held,
      );
      return {
        next,
        result: next,
        // A held discussion announces nothing until it is published.
        events: (after) =>
          after.held
            ? []
            : [
                ...(comment && !held
                  ? [
                      discussionEvent('discussion.commented', after, actor, now, {
                        comment: comment.id,
                        author: speaker.user.id,
                        closes: close,
                      }),
                    ]
                  : []),
                ...(close
                  ? [
                      {
                        ...discussionEvent('discussion.closed', after, actor, now, {
                          comment: comment && !held ? comment.id : null,
                        }),
                        name: 'close-event',
                      },
                    ]
                  : []),
              ],
        ...(comment && held
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
