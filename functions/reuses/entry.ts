import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { createReuse } from './create-reuse';
import { deleteReuse } from './delete-reuse';
import { getReuse } from './get-reuse';
import { linkReuseDataset } from './link-reuse-dataset';
import { listMyReuses, listOrganizationReuses, listReuses } from './list-reuses';
import { listReuseTopics, listReuseTypes } from './reference-lists';
import { reuseRoutes } from './routes';
import { searchReusesV2, suggestReuses } from './search-reuses';
import { updateReuse } from './update-reuse';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  reuseRoutes,
  {
    listReuses,
    searchReusesV2,
    suggestReuses,
    createReuse,
    listReuseTypes,
    listReuseTopics,
    getReuse,
    updateReuse,
    deleteReuse,
    linkReuseDataset,
    listOrganizationReuses,
    listMyReuses,
  },
  resolveCaller,
);
