import { presentUser } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveUser } from '@portail/store';
import type { accountRoutes } from './routes';

export const getUser: RouteHandler<typeof accountRoutes.getUser> = async ({ params, urls }) => ({
  status: 200,
  body: presentUser(await getLiveUser(params.user), urls),
});
