import { randomUUID } from 'node:crypto';
import { actorOf, isAllowed, newDiscussion, newId, presentDiscussion, spamReason } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { createDiscussion as storeDiscussion } from '@portail/store';
import { bannedWords } from './config';
import type { discussionRoutes } from './routes';
import { speakerFor } from './speaker';
import { discussedSubject } from './subjects';

export const createDiscussion: RouteHandler<typeof discussionRoutes.createDiscussion> = async ({
  body,
  caller,
  urls,
}) => {
  const speaker = await speakerFor(caller, body.organization);
  const subject = await discussedSubject(caller, body.subject);
  const now = new Date();
  // Moderators are not held by the rule they apply.
  const held = isAllowed(caller, { action: 'moderate' })
    ? null
    : spamReason(`${body.title}\n${body.comment}`, bannedWords());
  const discussion = newDiscussion(
    { id: newId(now), commentId: randomUUID() },
    { ...body, subject: { class: body.subject.class, id: subject.id } },
    subject.owner,
    speaker,
    now,
    held,
  );
  await storeDiscussion(discussion, subject.check, actorOf(caller), now);
  const representation = presentDiscussion(discussion, { caller, subjectRole: null }, urls);
  return {
    status: 201,
    body: representation,
    headers: { location: representation.url },
  };
};
