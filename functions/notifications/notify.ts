import { type DomainEvent, notificationPlan } from '@portail/core';
import { logger } from '@portail/http/logger';
import { notifyUsers, resolveAudience } from '@portail/store';
import * as z from 'zod';
import { batchCached } from '../events/batch-cache';
import { subjectSnapshot } from '../events/subjects';

const env = z
  .object({ DIGEST_HOURLY_SECONDS: z.coerce.number().int().min(1).max(3600).default(3600) })
  .parse(process.env);

/**
 * Tells the users concerned by an event (core's plan says who: followers, owners, organization admins,
 * the recipient of a transfer), never the one who did it: one inbox notification per user and event,
 * mailed with the user's next digest.
 */
export async function notifyEvent(event: DomainEvent): Promise<void> {
  const plan = notificationPlan(event);
  if (!plan) return;
  const subject = await subjectSnapshot(event.subject);
  if (!subject) return;
  const actor = event.actor.kind === 'user' ? event.actor.id : null;
  const recipients = (
    await Promise.all(
      plan.audiences.map((audience) =>
        batchCached(`audience:${JSON.stringify(audience)}`, () => resolveAudience(audience)),
      ),
    )
  )
    .flat()
    .filter((user) => user !== actor);
  const written = await notifyUsers(
    {
      id: event.id,
      kind: plan.kind,
      event_type: event.type,
      created_at: event.occurred_at,
      subject: { class: subject.class, id: subject.id, title: subject.title },
      text: plan.text,
      actor,
    },
    recipients,
    { hourlySeconds: env.DIGEST_HOURLY_SECONDS },
  );
  logger.info('notified', { event: event.id, recipients: recipients.length, written });
}
