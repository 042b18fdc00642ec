import { actorOf } from '@portail/core';
import { loadDataset, loadReuse, type RouteHandler } from '@portail/http';
import { linkReuseDataset as linkStoredReuseDataset } from '@portail/store';
import { present } from './present';
import type { reuseRoutes } from './routes';

export const linkReuseDataset: RouteHandler<typeof reuseRoutes.linkReuseDataset> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { reuse, metrics } = await loadReuse(caller, params.reuse, 'edit');
  // As udata: an unknown dataset (or one the caller may not see) is a 404.
  const { dataset } = await loadDataset(caller, body.id, 'read');
  const { reuse: next, linked } = await linkStoredReuseDataset(
    reuse,
    { id: dataset.id, title: dataset.title, slug: dataset.slug, public: !dataset.private },
    actorOf(caller),
  );
  return { status: linked ? 201 : 200, body: present({ reuse: next, metrics }, urls) };
};
