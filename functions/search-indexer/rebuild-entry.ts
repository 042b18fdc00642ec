import { logger, withLogging } from '@portail/http/logger';
import { searchIndex } from '@portail/search';
import { storeConfig } from '@portail/store';
import { rebuildSearchIndexes } from './rebuild';

storeConfig();

/** Invoked by `npm run reindex:aws`: rebuilds every search index, answering how many objects each holds. */
export const handler = withLogging(async () =>
  rebuildSearchIndexes(await searchIndex(), (line) => logger.info(line)),
);
