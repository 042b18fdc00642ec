import { computeQuality, type DomainEventOf, type QUALITY_INPUTS, qualityChanged } from '@portail/core';
import { logger } from '@portail/http/logger';
import { findDatasetWithResources, writeQuality } from '@portail/store';

export const QUALITY_CONSUMER = 'quality';

const ATTEMPTS = 3;

/**
 * Recomputes the quality of the event's dataset from what the dataset is now (not from the event), so
 * a repeated or late delivery computes the same thing: nothing is written when a producer would see no
 * difference, and a newer computation is never replaced by one from an older version of the dataset.
 */
export async function recomputeQuality(
  event: DomainEventOf<(typeof QUALITY_INPUTS)[number]>,
  now = new Date(),
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const found = await findDatasetWithResources(event.subject.id);
    if (!found || found.dataset.deleted) return;
    const previous = found.quality ?? null;
    const quality = computeQuality({ dataset: found.dataset, resources: found.resources }, now);
    if (!qualityChanged(previous, quality)) return;
    if (await writeQuality(found.dataset.id, found.dataset.version, previous, quality, now)) return;
    logger.debug('a newer quality was stored meanwhile; reading again', { dataset: found.dataset.id });
  }
}
