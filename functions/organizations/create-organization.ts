import { actorOf, presentOrganization } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { createOrganization as createStoredOrganization } from '@portail/store';
import type { routes } from '../routes';
import { authorize, userIdOf } from './authorize';

export const createOrganization: RouteHandler<typeof routes.createOrganization> = async ({
  body,
  caller,
  urls,
}) => {
  authorize(
    caller,
    { action: 'publish' },
    'Confirm your email address before creating an organization (follow the link we sent you).',
  );
  const organization = await createStoredOrganization(body, userIdOf(caller), actorOf(caller));
  const representation = presentOrganization(organization, urls);
  return { status: 201, body: representation, headers: { location: representation.uri } };
};
