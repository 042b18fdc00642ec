import { withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import { runDueHarvests } from './tick';

storeConfig();

/** Invoked by the scheduler (EventBridge Scheduler deployed, the local scheduler on `npm start`). */
export const handler = withLogging(async (_event: unknown) => runDueHarvests());
