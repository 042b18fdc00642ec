import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { createCommunityResource } from './create-community-resource';
import { deleteCommunityResource } from './delete-community-resource';
import { getCommunityResource } from './get-community-resource';
import { listCommunityResources } from './list-community-resources';
import { communityResourceRoutes } from './routes';
import { updateCommunityResource } from './update-community-resource';
import { replaceCommunityFile, uploadCommunityFile } from './upload-community-file';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  communityResourceRoutes,
  {
    listCommunityResources,
    createCommunityResource,
    getCommunityResource,
    updateCommunityResource,
    deleteCommunityResource,
    uploadCommunityFile,
    replaceCommunityFile,
  },
  resolveCaller,
);
