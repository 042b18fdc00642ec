import { QUALITY_INPUTS } from '@portail/core';
import { eventConsumer } from '../events/event-consumer';
import { recomputeQuality } from './recompute-quality';

/**
 * A dataset's quality is computed from what it is now: of a batch's events about one dataset, the last
 * one recomputes it for all. A discussion's event corrects the count of open discussions with itself,
 * so it is handled on its own.
 */
export const handler = eventConsumer(QUALITY_INPUTS, (event) => recomputeQuality(event), {
  coalesceBy: (event) => (event.subject.class === 'Dataset' ? `dataset:${event.subject.id}` : null),
});
