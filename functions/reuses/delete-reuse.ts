import { actorOf } from '@portail/core';
import { loadReuse, type RouteHandler } from '@portail/http';
import { deleteReuse as deleteStoredReuse } from '@portail/store';
import type { reuseRoutes } from './routes';

export const deleteReuse: RouteHandler<typeof reuseRoutes.deleteReuse> = async ({ params, caller }) => {
  const { reuse } = await loadReuse(caller, params.reuse, 'delete');
  await deleteStoredReuse(reuse, actorOf(caller));
  return { status: 204 };
};
