import { presentOrganization } from '@portail/core';
import { listEnvelope, type RouteHandler } from '@portail/http';
import { listOrganizations as listStoredOrganizations } from '@portail/store';
import type { routes } from '../routes';

export const listOrganizations: RouteHandler<typeof routes.listOrganizations> = async ({
  query,
  url,
  urls,
}) => {
  const page = await listStoredOrganizations({
    page: query.page,
    pageSize: query.page_size,
    cursor: query.cursor,
  });
  const data = page.organizations.map((organization) => presentOrganization(organization, urls));
  return {
    status: 200,
    body: listEnvelope(data, {
      url,
      page: query.page,
      pageSize: query.page_size,
      total: page.total,
      nextCursor: page.nextCursor,
    }),
  };
};
