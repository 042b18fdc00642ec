import { withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import { indexChanges } from './index-changes';

storeConfig();

export const handler = withLogging(indexChanges);
