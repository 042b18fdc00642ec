import { presentOrganization } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization } from '@portail/store';
import type { routes } from '../routes';

export const getOrganization: RouteHandler<typeof routes.getOrganization> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org, caller);
  return { status: 200, body: presentOrganization(organization, urls) };
};
