import { apiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { routes } from '../routes';
import { createCommunityResource } from './create-community-resource';
import { deleteCommunityResource } from './delete-community-resource';
import { getCommunityResource } from './get-community-resource';
import { listCommunityResources } from './list-community-resources';
import { updateCommunityResource } from './update-community-resource';
import { uploadCommunityFile } from './upload-community-file';

storeConfig();
apiTokenSecret();

export const handler = createGroupHandler(
  'community-resources',
  routes,
  {
    listCommunityResources,
    createCommunityResource,
    getCommunityResource,
    updateCommunityResource,
    deleteCommunityResource,
    uploadCommunityFile,
  },
  resolveCaller,
);
