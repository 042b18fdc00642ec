import { foldCounters } from './fold-counters';

export const handler = foldCounters;
