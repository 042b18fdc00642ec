import {
  ForbiddenError,
  isAllowed,
  presentUser,
  searchSort,
  suggestionQuery,
  USER_SEARCH,
} from '@portail/core';
import { assertSearchDepth, type RouteHandler, searchEnvelope } from '@portail/http';
import { searchIndex } from '@portail/search';
import { activeUsersByIds } from '@portail/store';
import type { organizationRoutes } from './routes';

/**
 * `GET /api/1/users/`: the search index finds the page, one BatchGetItem reads its users, and one that
 * was deleted since it was indexed is left out.
 */
export const listUsers: RouteHandler<typeof organizationRoutes.listUsers> = async ({
  query,
  caller,
  url,
  urls,
}) => {
  if (!isAllowed(caller, { action: 'users.list' }))
    throw new ForbiddenError('Only a sysadmin may list users.');
  assertSearchDepth(query.page, query.page_size);
  const text = query.q || undefined;
  const index = await searchIndex();
  const result = await index.search(USER_SEARCH.kind, {
    ...(text ? { text } : {}),
    filters: [],
    facets: [],
    sort: searchSort(query.sort, !!text),
    page: query.page,
    pageSize: query.page_size,
  });
  const users = await activeUsersByIds(result.ids);
  return {
    status: 200,
    body: searchEnvelope(
      users.map((user) => presentUser(user, urls)),
      { url, page: query.page, pageSize: query.page_size, total: result.total },
    ),
  };
};

/**
 * `GET /api/1/users/suggest/`: udata's suggestion items for a name being typed, from the same index;
 * one BatchGetItem reads the accounts, and one deleted since it was indexed is left out.
 */
export const suggestUsers: RouteHandler<typeof organizationRoutes.suggestUsers> = async ({ query, urls }) => {
  const index = await searchIndex();
  const result = await index.search(USER_SEARCH.kind, suggestionQuery(query.q, query.size));
  const users = await activeUsersByIds(result.ids);
  return {
    status: 200,
    body: users.map((user) => {
      const shown = presentUser(user, urls);
      return {
        id: shown.id,
        first_name: shown.first_name,
        last_name: shown.last_name,
        slug: shown.slug,
        avatar_url: shown.avatar_thumbnail,
        page: shown.page,
      };
    }),
  };
};
