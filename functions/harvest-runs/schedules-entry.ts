import { effectiveSchedule } from '@portail/core';
import { findHarvestSourceById, storeConfig } from '@portail/store';
import { eventConsumer } from '../events/event-consumer';
import { sourceSchedules } from './source-schedules';

storeConfig();

/**
 * A source's schedule put where it runs (an EventBridge Scheduler schedule deployed), from what the
 * source is now rather than from the event: a late or repeated delivery converges on the same schedule.
 */
export async function syncSourceSchedule(event: { subject: { id: string } }): Promise<void> {
  const source = await findHarvestSourceById(event.subject.id);
  await sourceSchedules().put(event.subject.id, source ? effectiveSchedule(source) : null);
}

/** The schedule follows what the source is now: the last of a batch's events about it stands for all. */
export const handler = eventConsumer(['harvest.source.scheduled'], syncSourceSchedule, {
  coalesceBy: (event) => event.subject.id,
});
