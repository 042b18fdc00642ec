import { loadReuse, type RouteHandler } from '@portail/http';
import { present } from './present';
import type { reuseRoutes } from './routes';

export const getReuse: RouteHandler<typeof reuseRoutes.getReuse> = async ({ params, caller, urls }) => {
  return { status: 200, body: present(await loadReuse(caller, params.reuse, 'read'), urls) };
};
