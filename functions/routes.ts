/**
 * The route table: the single source of every HTTP route. Each group (one Lambda function) declares
 * its routes in `functions/<group>/routes.ts`; this file puts them together. The CDK stack integrates
 * each route with its group's function, the local server dispatches from it, and the OpenAPI document
 * is generated from it.
 */
import { accountRoutes } from './accounts/routes';
import { activityRoutes } from './activity/routes';
import { communityResourceRoutes } from './community-resources/routes';
import { contactRoutes } from './contacts/routes';
import { dashboardRoutes } from './dashboards/routes';
import { datasetRoutes } from './datasets/routes';
import { discussionRoutes } from './discussions/routes';
import { docsRoutes } from './docs/routes';
import { exportRoutes } from './exports/routes';
import { followRoutes } from './follows/routes';
import { harvestRoutes } from './harvest/routes';
import { imageRoutes } from './images/routes';
import { notificationRoutes } from './notifications/routes';
import { organizationRoutes } from './organizations/routes';
import { resourceRoutes } from './resources/routes';
import { reuseRoutes } from './reuses/routes';
import { transferRoutes } from './transfers/routes';
import { webhookRoutes } from './webhooks/routes';

export const routes = {
  ...accountRoutes,
  ...activityRoutes,
  ...communityResourceRoutes,
  ...contactRoutes,
  ...dashboardRoutes,
  ...datasetRoutes,
  ...discussionRoutes,
  ...docsRoutes,
  ...exportRoutes,
  ...notificationRoutes,
  ...followRoutes,
  ...harvestRoutes,
  ...imageRoutes,
  ...organizationRoutes,
  ...resourceRoutes,
  ...reuseRoutes,
  ...transferRoutes,
  ...webhookRoutes,
} as const;

export type Routes = typeof routes;
export const routeList = Object.values(routes);

/** Every route group, i.e. every Lambda function serving the API. */
export const routeGroups = [...new Set(routeList.map((route) => route.group))].sort();
