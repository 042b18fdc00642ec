import { type Activity, activityOf, activityRelated, type DomainEvent } from '@portail/core';
import { logger } from '@portail/http/logger';
import { recordActivities, recordActivity } from '@portail/store';
import type { Delivered } from '../events/event-consumer';
import { actorSnapshot, subjectSnapshot } from '../events/subjects';

/** The activity an event makes (null: none, for a private or gone object), as things are now. */
async function activityOfEvent(event: DomainEvent): Promise<Activity | null> {
  const [related, actor] = await Promise.all([
    subjectSnapshot(activityRelated(event)),
    actorSnapshot(event.actor),
  ]);
  if (!related) return null;
  return activityOf(event, related, actor);
}

/**
 * Adds an event to the activity stream under udata's key, with what it is about and who did it as
 * they are now. Once per event (the activity's key is the event id, written only if new, with its
 * totals); an object that is private, or gone, leaves no activity.
 */
export async function recordEventActivity(event: DomainEvent): Promise<void> {
  const activity = await activityOfEvent(event);
  if (!activity) return;
  const written = await recordActivity(activity);
  if (!written) logger.debug('activity already recorded', { event: event.id });
}

/**
 * `recordEventActivity` for a delivered batch: what each event is about and who did it read once per
 * batch, the activities written together (`recordActivities`). An event whose subject could not be read
 * fails alone; a write that fails fails the batch's events, delivered again and written once.
 */
export async function recordBatchActivity(batch: readonly Delivered<DomainEvent>[]): Promise<string[]> {
  const failed: string[] = [];
  const made = await Promise.all(
    batch.map(async (item) => {
      try {
        return await activityOfEvent(item.event);
      } catch (error) {
        logger.error('an activity could not be made', { event: item.event.id, error: String(error) });
        failed.push(item.messageId);
        return null;
      }
    }),
  );
  const activities = made.filter((activity): activity is Activity => activity !== null);
  if (activities.length === 0) return failed;
  const written = await recordActivities(activities);
  logger.info('activities recorded', { events: batch.length, written });
  return failed;
}
