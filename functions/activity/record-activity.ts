import {
  type Activity,
  activitiesRemovedBy,
  activityOf,
  activityRelated,
  type DomainEvent,
} from '@portail/core';
import { logger } from '@portail/http/logger';
import { recordActivities, recordActivity, removeActivitiesOf } from '@portail/store';
import type { Delivered } from '../events/event-consumer';
import { actorSnapshot, subjectSnapshot } from '../events/subjects';

/**
 * The activity an event makes (null: none, for a private or gone object), as things are now, and the
 * object whose activities it takes out of the stream (one it made private), if any.
 */
async function activityOfEvent(
  event: DomainEvent,
): Promise<{ activity: Activity | null; removes: string | null }> {
  const [related, actor] = await Promise.all([
    subjectSnapshot(activityRelated(event)),
    actorSnapshot(event.actor),
  ]);
  const removes = activitiesRemovedBy(event, related);
  if (!related) return { activity: null, removes };
  return { activity: activityOf(event, related, actor), removes };
}

/**
 * Adds an event to the activity stream under udata's key, with what it is about and who did it as
 * they are now. Once per event (the activity's key is the event id, written only if new, with its
 * totals); an object that is private, or gone, leaves no activity, and one made private loses those
 * it had (`removeActivitiesOf`).
 */
export async function recordEventActivity(event: DomainEvent): Promise<void> {
  const { activity, removes } = await activityOfEvent(event);
  if (removes) await removeActivitiesOf(removes);
  if (!activity) return;
  const written = await recordActivity(activity);
  if (!written) logger.debug('activity already recorded', { event: event.id });
}

/**
 * `recordEventActivity` for a delivered batch: what each event is about and who did it read once per
 * batch, the activities written together (`recordActivities`), then the activities of what the batch
 * made private removed. An event whose subject could not be read, or whose removal failed, fails alone;
 * a write that fails fails the batch's events, delivered again and written once.
 */
export async function recordBatchActivity(batch: readonly Delivered<DomainEvent>[]): Promise<string[]> {
  const failed: string[] = [];
  const removals = new Map<string, string[]>();
  const made = await Promise.all(
    batch.map(async (item) => {
      try {
        const { activity, removes } = await activityOfEvent(item.event);
        if (removes) removals.set(removes, [...(removals.get(removes) ?? []), item.messageId]);
        return activity;
      } catch (error) {
        logger.error('an activity could not be made', { event: item.event.id, error: String(error) });
        failed.push(item.messageId);
        return null;
      }
    }),
  );
  const activities = made.filter((activity): activity is Activity => activity !== null);
  if (activities.length > 0) {
    const written = await recordActivities(activities);
    logger.info('activities recorded', { events: batch.length, written });
  }
  for (const [related, messageIds] of removals) {
    try {
      const removed = await removeActivitiesOf(related);
      logger.info('activities of an object made private removed', { related, removed });
    } catch (error) {
      logger.error('activities could not be removed', { related, error: String(error) });
      failed.push(...messageIds);
    }
  }
  return failed;
}
