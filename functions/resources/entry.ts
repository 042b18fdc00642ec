import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { loadOriginSecret } from '@portail/http/viewer-address';
import { storeConfig } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { createResource } from './create-resource';
import { deleteResource } from './delete-resource';
import { downloadFile } from './download-file';
import { downloadResource } from './download-resource';
import { getResource } from './get-resource';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  getMultipartUpload,
  getPartUrls,
} from './multipart-upload';
import { reorderResources } from './reorder-resources';
import { requestResourceCheck } from './request-check';
import { deleteResourceExtras, getResourceExtras, updateResourceExtras } from './resource-extras';
import { resourceRoutes } from './routes';
import { updateResource } from './update-resource';
import { replaceFile, startMultipartReplacement, startMultipartUpload, uploadNewFile } from './upload-file';

storeConfig();
uploadsConfig();
// Reads and downloads count once per visitor: the viewer's address, believed only with the distribution's secret.
await Promise.all([loadApiTokenSecret(), loadOriginSecret()]);

export const handler = createGroupHandler(
  resourceRoutes,
  {
    createResource,
    reorderResources,
    getResource,
    updateResource,
    deleteResource,
    uploadNewFile,
    replaceFile,
    getResourceExtras,
    updateResourceExtras,
    deleteResourceExtras,
    requestResourceCheck,
    startMultipartUpload,
    startMultipartReplacement,
    getMultipartUpload,
    getPartUrls,
    completeMultipartUpload,
    abortMultipartUpload,
    downloadResource,
    downloadFile,
  },
  resolveCaller,
);
