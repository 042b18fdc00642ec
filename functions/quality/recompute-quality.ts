import { computeQuality, type DomainEventOf, type QUALITY_INPUTS, qualityChanged } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  datasetOwner,
  findDatasetWithResources,
  openDiscussionIds,
  watchedFor,
  writeQuality,
} from '@portail/store';

export const QUALITY_CONSUMER = 'quality';

const ATTEMPTS = 3;

type QualityEvent = DomainEventOf<(typeof QUALITY_INPUTS)[number]>;

/** The dataset an event is about: its subject, or for a discussion what the discussion is about. */
function datasetOf(event: QualityEvent): string | null {
  if (event.subject.class === 'Dataset') return event.subject.id;
  if ('about' in event.data && event.data.about.class === 'Dataset') return event.data.about.id;
  return null;
}

/**
 * How many discussions about the dataset are open: the subject's listing (an index, eventually
 * consistent), corrected by the event being handled, which may not show there yet.
 */
async function openDiscussions(datasetId: string, event: QualityEvent): Promise<number> {
  const open = new Set(await openDiscussionIds(datasetId));
  if (event.type === 'discussion.created') open.add(event.subject.id);
  if (event.type === 'discussion.closed' || event.type === 'discussion.deleted')
    open.delete(event.subject.id);
  return open.size;
}

/**
 * Recomputes the quality of the event's dataset from what the dataset is now (not from the event), so
 * a repeated or late delivery computes the same thing: nothing is written when a producer would see no
 * difference, and a newer computation is never replaced by one from an older version of the dataset.
 */
export async function recomputeQuality(event: QualityEvent, now = new Date()): Promise<void> {
  const datasetId = datasetOf(event);
  if (!datasetId) return;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [found, open] = await Promise.all([
      findDatasetWithResources(datasetId),
      openDiscussions(datasetId, event),
    ]);
    if (!found || found.dataset.deleted) return;
    const previous = found.quality ?? null;
    const quality = computeQuality(
      { dataset: found.dataset, resources: found.resources, openDiscussions: open },
      now,
    );
    const owner = datasetOwner(found.dataset);
    const index = { owner, reminded_due_at: found.qualityIndex?.reminded_due_at ?? null };
    const changed = qualityChanged(previous, quality);
    // A new owner (a transfer), or a dataset made public, private or archived, moves the item among the
    // due updates, without news for anyone.
    const moved =
      previous !== null &&
      ((found.qualityIndex?.owner?.id ?? null) !== (owner?.id ?? null) ||
        (found.qualityIndex?.watched ?? false) !==
          watchedFor(found.dataset, previous, index.reminded_due_at));
    if (!changed && !moved) return;
    const stored = changed ? quality : previous!;
    if (await writeQuality(found.dataset, previous, stored, index, now, changed)) return;
    logger.debug('a newer quality was stored meanwhile; reading again', { dataset: found.dataset.id });
  }
}
