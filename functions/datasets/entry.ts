import { apiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { routes } from '../routes';
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
import { updateDataset } from './update-dataset';

storeConfig();
apiTokenSecret();

export const handler = createGroupHandler(
  'datasets',
  routes,
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
