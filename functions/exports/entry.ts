import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { datasetRdfHandlers, organizationCatalogHandlers, siteCatalogHandlers } from './catalog';
import { getDatasetsCsv, getResourcesCsv } from './csv';
import { getDatasetEmbed, getOembed } from './embed';
import { getDatasetMetrics, getDatasetMetricsCsv } from './metrics';
import { exportRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  exportRoutes,
  {
    ...siteCatalogHandlers,
    ...organizationCatalogHandlers,
    ...datasetRdfHandlers,
    getDatasetEmbed,
    getOembed,
    getDatasetsCsv,
    getResourcesCsv,
    getDatasetMetrics,
    getDatasetMetricsCsv,
  },
  resolveCaller,
);
