import type { DomainEvent } from '@portail/core';
import { findDatasetWithResources, reconcileChecks, storeConfig } from '@portail/store';
import { eventConsumer } from '../events/event-consumer';
import { availabilityConfig } from './config';

storeConfig();

/** The events after which a dataset's links (or its owner, or its life) may have changed. */
export const AVAILABILITY_INPUTS = [
  'dataset.resource.added',
  'dataset.resource.updated',
  'dataset.resource.removed',
  'dataset.updated',
  'dataset.deleted',
  'dataset.restored',
] as const;

/** Keeps the dataset's check items in line with its links, from what the dataset is now. */
export async function scheduleChecks(
  event: Extract<DomainEvent, { type: (typeof AVAILABILITY_INPUTS)[number] }>,
) {
  const found = await findDatasetWithResources(event.subject.id);
  if (!found) return;
  await reconcileChecks(found.dataset, found.resources, new Date(), availabilityConfig().firstCheckSeconds);
}

/** The checks follow what the dataset is now: the last of a batch's events about it stands for all. */
export const handler = eventConsumer(AVAILABILITY_INPUTS, scheduleChecks, {
  coalesceBy: (event) => event.subject.id,
});
