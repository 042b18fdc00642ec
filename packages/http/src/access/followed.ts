import { type Caller, FOLLOWED_KINDS, type FollowedClass, type FollowedKind } from '@portail/core';
import { getLiveUser } from '@portail/store';
import { loadDataset } from './datasets';
import { loadOrganization } from './organizations';
import { loadReuse } from './reuses';

/**
 * The object of a followers route (`/api/1/{kind}/{id}/followers/`), as the caller may read it: each
 * kind's own ladder (404 unknown, 410 deleted, 404 private to whoever may not see it).
 */
export async function loadFollowed(
  caller: Caller,
  kind: FollowedKind,
  idOrSlug: string,
): Promise<{ class: FollowedClass; id: string }> {
  const followedClass = FOLLOWED_KINDS[kind];
  switch (kind) {
    case 'datasets':
      return { class: followedClass, id: (await loadDataset(caller, idOrSlug, 'read')).dataset.id };
    case 'reuses':
      return { class: followedClass, id: (await loadReuse(caller, idOrSlug, 'read')).reuse.id };
    case 'organizations':
      return { class: followedClass, id: (await loadOrganization(caller, idOrSlug, { action: 'read' })).id };
    case 'users':
      return { class: followedClass, id: (await getLiveUser(idOrSlug)).id };
  }
}
