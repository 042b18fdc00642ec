import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { getDatasetDashboard } from './dataset-dashboard';
import { getMyDashboard, getOrganizationDashboard } from './owner-dashboards';
import { dashboardRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  dashboardRoutes,
  { getDatasetDashboard, getOrganizationDashboard, getMyDashboard },
  resolveCaller,
);
