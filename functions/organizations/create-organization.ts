import { actorOf, presentOrganization } from '@portail/core';
import { authorize, type RouteHandler, userIdOf } from '@portail/http';
import { createOrganization as createStoredOrganization } from '@portail/store';
import type { organizationRoutes } from './routes';

export const createOrganization: RouteHandler<typeof organizationRoutes.createOrganization> = async ({
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
