import { actorOf, newId, newReuse } from '@portail/core';
import { linkedDatasets, publisherFor, type RouteHandler } from '@portail/http';
import { createReuse as createStoredReuse } from '@portail/store';
import { present } from './present';
import type { reuseRoutes } from './routes';

export const createReuse: RouteHandler<typeof reuseRoutes.createReuse> = async ({ body, caller, urls }) => {
  // Who owns it: the caller, or an organization they belong to (401, 403 unconfirmed, 400 otherwise).
  const publisher = await publisherFor(caller, body.organization);
  const datasets = await linkedDatasets(caller, body.datasets);
  const now = new Date();
  const id = newId(now);
  // Core refuses a public reuse without a public dataset before anything is written.
  newReuse(body, { id, slug: id }, datasets, publisher, now);
  const reuse = await createStoredReuse(
    (slug) => newReuse(body, { id, slug }, datasets, publisher, now),
    id,
    body.title,
    actorOf(caller),
    now,
  );
  return {
    status: 201,
    body: present({ reuse, metrics: {} }, urls),
    headers: { location: `${urls.api}/api/1/reuses/${reuse.id}/` },
  };
};
