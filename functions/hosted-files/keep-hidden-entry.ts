import { type DomainEvent, HIDDEN_FILES_INPUTS } from '@portail/core';
import { storeConfig } from '@portail/store';
import { batchDataset } from '../events/batch-datasets';
import { eventConsumer } from '../events/event-consumer';
import { hiddenFiles } from './hidden-files';

storeConfig();

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
  await syncDatasetFiles(event.subject.id);
}

/**
 * Hides the dataset's files when it is private, deleted or gone, serves them when it is public; what
 * the consumer does after a change, and `npm run backfill` for datasets written before the store.
 * Resolves to whether they are hidden.
 */
export async function syncDatasetFiles(datasetId: string): Promise<boolean> {
  const dataset = await batchDataset(datasetId);
  const hidden = !dataset || dataset.private || dataset.deleted !== null;
  await hiddenFiles().set(hidden ? { hide: [datasetId], show: [] } : { hide: [], show: [datasetId] });
  return hidden;
}

/** A dataset's visibility is read as it is now: the last of a batch's events about it stands for all. */
export const handler = eventConsumer(HIDDEN_FILES_INPUTS, keepHidden, {
  coalesceBy: (event) =>
    event.type === 'dataset.resource.removed' || event.type === 'dataset.community-resource.removed'
      ? null
      : event.subject.id,
});
