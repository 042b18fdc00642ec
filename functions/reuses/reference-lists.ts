import { REUSE_TOPIC_ENTRIES, REUSE_TYPE_ENTRIES } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import type { reuseRoutes } from './routes';

export const listReuseTypes: RouteHandler<typeof reuseRoutes.listReuseTypes> = async () => ({
  status: 200,
  body: REUSE_TYPE_ENTRIES,
});

export const listReuseTopics: RouteHandler<typeof reuseRoutes.listReuseTopics> = async () => ({
  status: 200,
  body: REUSE_TOPIC_ENTRIES,
});
