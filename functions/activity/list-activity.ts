import { presentActivity } from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import { listActivity as listStoredActivity } from '@portail/store';
import type { activityRoutes } from './routes';

export const listActivity: RouteHandler<typeof activityRoutes.listActivity> = async (request) => {
  const { user, organization, related_to } = request.query;
  const page = await listStoredActivity({ user, organization, related_to }, pageOptions(request.query));
  return pagedResponse(request, page.items, page, presentActivity);
};
