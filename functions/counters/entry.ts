import { withLogging } from '@portail/http/logger';
import { foldCounters } from './fold-counters';

export const handler = withLogging(foldCounters);
