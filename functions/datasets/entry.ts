import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { createDataset } from './create-dataset';
import { deleteDataset } from './delete-dataset';
import { getDataset } from './get-dataset';
import { listDatasets } from './list-datasets';
import { listMyDatasets, listOrganizationDatasets, listUserDatasets } from './list-owner-datasets';
import {
  listFrequencies,
  listGranularities,
  listLicenses,
  listResourceTypes,
  listSpatialGranularities,
} from './reference-lists';
import { datasetRoutes } from './routes';
import { updateDataset } from './update-dataset';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  datasetRoutes,
  {
    listDatasets,
    createDataset,
    getDataset,
    updateDataset,
    deleteDataset,
    listLicenses,
    listFrequencies,
    listGranularities,
    listSpatialGranularities,
    listResourceTypes,
    listOrganizationDatasets,
    listMyDatasets,
    listUserDatasets,
  },
  resolveCaller,
);
