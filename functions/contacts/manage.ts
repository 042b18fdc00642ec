import { actorOf, CONTACT_ROLE_ENTRIES, presentContactPoint } from '@portail/core';
import {
  loadContactPoint,
  loadOrganization,
  pagedResponse,
  pageOptions,
  publisherFor,
  type RouteHandler,
} from '@portail/http';
import {
  createContactPoint as createStoredContactPoint,
  deleteContactPoint as deleteStoredContactPoint,
  listOwnerContactPoints,
  updateContactPoint as updateStoredContactPoint,
} from '@portail/store';
import type { contactRoutes } from './routes';

type Routes = typeof contactRoutes;

export const createContactPoint: RouteHandler<Routes['createContactPoint']> = async ({
  body,
  caller,
  urls,
}) => {
  const publisher = await publisherFor(caller, body.organization);
  const contact = await createStoredContactPoint(body, publisher, actorOf(caller));
  return { status: 201, body: presentContactPoint(contact, urls) };
};

export const listContactPointRoles: RouteHandler<Routes['listContactPointRoles']> = async () => ({
  status: 200,
  body: CONTACT_ROLE_ENTRIES,
});

export const getContactPoint: RouteHandler<Routes['getContactPoint']> = async ({ params, caller, urls }) => ({
  status: 200,
  body: presentContactPoint(await loadContactPoint(caller, params.contact, 'read'), urls),
});

export const updateContactPoint: RouteHandler<Routes['updateContactPoint']> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const contact = await loadContactPoint(caller, params.contact, 'edit');
  const updated = await updateStoredContactPoint(contact, body, actorOf(caller));
  return { status: 200, body: presentContactPoint(updated, urls) };
};

export const deleteContactPoint: RouteHandler<Routes['deleteContactPoint']> = async ({ params, caller }) => {
  const contact = await loadContactPoint(caller, params.contact, 'delete');
  await deleteStoredContactPoint(contact, actorOf(caller));
  return { status: 204 };
};

export const listOrganizationContactPoints: RouteHandler<Routes['listOrganizationContactPoints']> = async (
  request,
) => {
  const organization = await loadOrganization(request.caller, request.params.org, { action: 'read' });
  const page = await listOwnerContactPoints(
    { kind: 'organization', id: organization.id },
    pageOptions(request.query),
  );
  return pagedResponse(request, page.contacts, page, presentContactPoint);
};
