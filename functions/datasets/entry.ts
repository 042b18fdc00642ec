import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { loadOriginSecret } from '@portail/http/viewer-address';
import { storeConfig } from '@portail/store';
import { createDataset } from './create-dataset';
import { addDatasetBadge, listDatasetBadges, removeDatasetBadge } from './dataset-badges';
import { deleteDataset } from './delete-dataset';
import { featureDataset, unfeatureDataset } from './feature-dataset';
import { getDataset } from './get-dataset';
import { listDatasets, listDatasetsV2 } from './list-datasets';
import { listMyDatasets, listOrganizationDatasets, listUserDatasets } from './list-owner-datasets';
import {
  listFrequencies,
  listGranularities,
  listLicenses,
  listResourceTypes,
  listSchemas,
  listSpatialGranularities,
} from './reference-lists';
import { datasetRoutes } from './routes';
import { searchDatasetsV2, suggestDatasets, suggestFormats, suggestTags } from './search-datasets';
import { updateDataset } from './update-dataset';
import {
  deleteDatasetExtras,
  getDatasetExtras,
  getDatasetV2,
  getResourceV2,
  listDatasetResourcesV2,
  listDatasetSchemasV2,
  updateDatasetExtras,
} from './v2';

storeConfig();
// Reads and downloads count once per visitor: the viewer's address, believed only with the distribution's secret.
await Promise.all([loadApiTokenSecret(), loadOriginSecret()]);

export const handler = createGroupHandler(
  datasetRoutes,
  {
    listDatasets,
    listDatasetsV2,
    searchDatasetsV2,
    suggestDatasets,
    suggestFormats,
    suggestTags,
    createDataset,
    getDataset,
    updateDataset,
    deleteDataset,
    featureDataset,
    unfeatureDataset,
    listDatasetBadges,
    addDatasetBadge,
    removeDatasetBadge,
    listSchemas,
    getDatasetV2,
    listDatasetResourcesV2,
    listDatasetSchemasV2,
    getResourceV2,
    getDatasetExtras,
    updateDatasetExtras,
    deleteDatasetExtras,
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
