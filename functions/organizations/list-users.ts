import { ForbiddenError, isAllowed, presentUser, searchSort, USER_SEARCH } from '@portail/core';
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
