import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { imageRoutes } from './routes';
import {
  getImage,
  recropOrganizationLogo,
  uploadAvatar,
  uploadOrganizationLogo,
  uploadReuseImage,
} from './upload-images';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  imageRoutes,
  { uploadOrganizationLogo, recropOrganizationLogo, uploadReuseImage, uploadAvatar, getImage },
  resolveCaller,
);
