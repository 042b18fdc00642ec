import { presentDiscussion } from '@portail/core';
import { loadDiscussion, type RouteHandler } from '@portail/http';
import type { discussionRoutes } from './routes';

export const getDiscussion: RouteHandler<typeof discussionRoutes.getDiscussion> = async ({
  params,
  caller,
  urls,
}) => {
  const { discussion, reader } = await loadDiscussion(caller, params.id, 'read');
  return { status: 200, body: presentDiscussion(discussion, reader, urls) };
};
