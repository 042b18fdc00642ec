import type { DomainEvent } from '@portail/core';
import { findDatasetById, storeConfig } from '@portail/store';
import { eventConsumer } from '../events/event-consumer';
import { hiddenFiles } from './hidden-files';

storeConfig();

/** The events after which a dataset's files may have to be hidden or served again. */
export const HIDDEN_FILES_INPUTS = [
  'dataset.created',
  'dataset.updated',
  'dataset.deleted',
  'dataset.restored',
  'dataset.resource.removed',
  'dataset.community-resource.removed',
] as const;

type Input = Extract<DomainEvent, { type: (typeof HIDDEN_FILES_INPUTS)[number] }>;

/**
 * Keeps the hidden-files store in line with what is public: a private or deleted dataset (or one no
 * longer there) is hidden, a public one served; a removed resource's or community resource's files
 * are hidden for good. The dataset is read as it is now, so events handled late or twice end the same.
 */
export async function keepHidden(event: Input): Promise<void> {
  if (event.type === 'dataset.resource.removed') {
    await hiddenFiles().set({ hide: [event.data.resource], show: [] });
    return;
  }
  if (event.type === 'dataset.community-resource.removed') {
    await hiddenFiles().set({ hide: [event.data.community_resource], show: [] });
    return;
  }
  const dataset = await findDatasetById(event.subject.id);
  const hidden = !dataset || dataset.private || dataset.deleted !== null;
  await hiddenFiles().set(
    hidden ? { hide: [event.subject.id], show: [] } : { hide: [], show: [event.subject.id] },
  );
}

/** A dataset's visibility is read as it is now: the last of a batch's events about it stands for all. */
export const handler = eventConsumer(HIDDEN_FILES_INPUTS, keepHidden, {
  coalesceBy: (event) =>
    event.type === 'dataset.resource.removed' || event.type === 'dataset.community-resource.removed'
      ? null
      : event.subject.id,
});
