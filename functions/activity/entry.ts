import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { listActivity } from './list-activity';
import { activityRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(activityRoutes, { listActivity }, resolveCaller);
