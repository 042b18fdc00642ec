import { computeQuality, type DomainEventOf, type QUALITY_INPUTS, qualityChanged } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  datasetOwner,
  findDatasetWithResources,
  openDiscussionIds,
  type QualityWrite,
  watchedFor,
  writeQualities,
  writeQuality,
} from '@portail/store';
import { type Delivered, type EventConsumerOptions, eachEvent } from '../events/event-consumer';

export const QUALITY_CONSUMER = 'quality';

const ATTEMPTS = 3;

type QualityEvent = DomainEventOf<(typeof QUALITY_INPUTS)[number]>;

/**
 * A dataset's quality is computed from what it is now: of a batch's events about one dataset, the last
 * one recomputes it for all. A discussion's event corrects the count of open discussions with itself,
 * so it is handled on its own.
 */
export const QUALITY_COALESCING: EventConsumerOptions<QualityEvent> = {
  coalesceBy: (event) => (event.subject.class === 'Dataset' ? `dataset:${event.subject.id}` : null),
};

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
 * The quality of the event's dataset computed from what the dataset is now (not from the event), and
 * what to store (null: nothing, when a producer would see no difference and the item need not move).
 */
async function planQuality(event: QualityEvent, now: Date): Promise<QualityWrite | null> {
  const datasetId = datasetOf(event);
  if (!datasetId) return null;
  const [found, open] = await Promise.all([
    findDatasetWithResources(datasetId),
    openDiscussions(datasetId, event),
  ]);
  if (!found || found.dataset.deleted) return null;
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
      (found.qualityIndex?.watched ?? false) !== watchedFor(found.dataset, previous, index.reminded_due_at));
  if (!changed && !moved) return null;
  return {
    dataset: found.dataset,
    previous,
    quality: changed ? quality : previous!,
    index,
    now,
    announce: changed,
  };
}

/**
 * Recomputes the quality of the event's dataset from what the dataset is now (not from the event), so
 * a repeated or late delivery computes the same thing: nothing is written when a producer would see no
 * difference, and a newer computation is never replaced by one from an older version of the dataset.
 */
export async function recomputeQuality(event: QualityEvent, now = new Date()): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const write = await planQuality(event, now);
    if (!write) return;
    const { dataset, previous, quality, index, announce } = write;
    if (await writeQuality(dataset, previous, quality, index, now, announce)) return;
    logger.debug('a newer quality was stored meanwhile; reading again', { dataset: dataset.id });
  }
}

/**
 * `recomputeQuality` for a delivered batch (coalesced as `QUALITY_COALESCING` says): every quality is
 * computed first, then the changed ones stored together (`writeQualities`: a transaction per 50
 * datasets instead of one each); one whose stored quality had changed meanwhile (or all, when the write
 * together fails) is recomputed alone, as `recomputeQuality` does. Resolves to the failed message ids.
 */
export async function recomputeBatchQuality(
  batch: readonly Delivered<QualityEvent>[],
  now = new Date(),
): Promise<string[]> {
  const planned = new Map<string, QualityWrite>();
  const failed = await eachEvent(
    batch,
    async (event) => {
      const write = await planQuality(event, now);
      if (write) planned.set(event.id, write);
    },
    QUALITY_COALESCING,
  );
  const again = new Set<string>();
  const events = [...planned.keys()];
  try {
    const written = await writeQualities([...planned.values()]);
    events.forEach((id, position) => {
      if (!written[position]) again.add(id);
    });
  } catch (error) {
    logger.warn('qualities could not be stored together; storing each alone', { error: String(error) });
    for (const id of events) again.add(id);
  }
  if (again.size === 0) return failed;
  // Coalesced as before, so each failure names the events its outcome stands for.
  const failedAgain = await eachEvent(
    batch,
    (event) => (again.has(event.id) ? recomputeQuality(event, now) : Promise.resolve()),
    QUALITY_COALESCING,
  );
  return [...failed, ...failedAgain];
}
