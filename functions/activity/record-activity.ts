import { activityOf, activityRelated, type DomainEvent } from '@portail/core';
import { logger } from '@portail/http/logger';
import { recordActivity } from '@portail/store';
import { actorSnapshot, subjectSnapshot } from '../events/subjects';

/**
 * Adds an event to the activity stream under udata's key, with what it is about and who did it as
 * they are now. Once per event (the activity's key is the event id, written with the consumer's
 * marker); an object that is private, or gone, leaves no activity.
 */
export async function recordEventActivity(event: DomainEvent): Promise<void> {
  const [related, actor] = await Promise.all([
    subjectSnapshot(activityRelated(event)),
    actorSnapshot(event.actor),
  ]);
  if (!related) return;
  const activity = activityOf(event, related, actor);
  if (!activity) return;
  const written = await recordActivity(activity);
  if (!written) logger.debug('activity already recorded', { event: event.id });
}
