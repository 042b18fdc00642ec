import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { datasetRdfHandlers, organizationCatalogHandlers, siteCatalogHandlers } from './catalog';
import { getDatasetEmbed, getOembed } from './embed';
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
  },
  resolveCaller,
);
