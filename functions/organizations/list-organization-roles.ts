import { ORG_ROLE_ENTRIES } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import type { routes } from '../routes';

export const listOrganizationRoles: RouteHandler<typeof routes.listOrganizationRoles> = async () => ({
  status: 200,
  body: ORG_ROLE_ENTRIES,
  headers: { 'cache-control': 'public, max-age=86400' },
});
