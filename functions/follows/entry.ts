import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { follow, listFollowers, listMyFollowing, unfollow } from './follow-handlers';
import { followRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  followRoutes,
  {
    listDatasetFollowers: listFollowers('datasets'),
    followDataset: follow('datasets'),
    unfollowDataset: unfollow('datasets'),
    listReuseFollowers: listFollowers('reuses'),
    followReuse: follow('reuses'),
    unfollowReuse: unfollow('reuses'),
    listOrganizationFollowers: listFollowers('organizations'),
    followOrganization: follow('organizations'),
    unfollowOrganization: unfollow('organizations'),
    listUserFollowers: listFollowers('users'),
    followUser: follow('users'),
    unfollowUser: unfollow('users'),
    listMyFollowing,
  },
  resolveCaller,
);
