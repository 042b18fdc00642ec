import { QUALITY_INPUTS } from '@portail/core';
import { eventBatchConsumer } from '../events/event-consumer';
import { recomputeBatchQuality } from './recompute-quality';

/**
 * A dataset's quality is computed from what it is now: of a batch's events about one dataset, the last
 * one recomputes it for all (a discussion's event is handled on its own); the batch's changed
 * qualities are stored together.
 */
export const handler = eventBatchConsumer(QUALITY_INPUTS, (batch) => recomputeBatchQuality(batch));
