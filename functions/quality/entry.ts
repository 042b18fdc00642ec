import { QUALITY_INPUTS } from '@portail/core';
import { eventConsumer } from '../events/event-consumer';
import { recomputeQuality } from './recompute-quality';

export const handler = eventConsumer(QUALITY_INPUTS, (event) => recomputeQuality(event));
