import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { imageRoutes } from './routes';
import { getImage, uploadAvatar, uploadOrganizationLogo, uploadReuseImage } from './upload-images';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  imageRoutes,
  { uploadOrganizationLogo, uploadReuseImage, uploadAvatar, getImage },
  resolveCaller,
);
