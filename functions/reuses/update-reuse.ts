import { actorOf } from '@portail/core';
import { linkedDatasets, loadReuse, type RouteHandler } from '@portail/http';
import { updateReuse as updateStoredReuse } from '@portail/store';
import { present } from './present';
import type { reuseRoutes } from './routes';

export const updateReuse: RouteHandler<typeof reuseRoutes.updateReuse> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { reuse, metrics } = await loadReuse(caller, params.reuse, 'edit');
  const { datasets, ...fields } = body;
  const change =
    datasets === undefined ? fields : { ...fields, datasets: await linkedDatasets(caller, datasets) };
  const updated = await updateStoredReuse(reuse, change, actorOf(caller));
  return { status: 200, body: present({ reuse: updated, metrics }, urls) };
};
