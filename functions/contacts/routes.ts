/**
 * Routes of the `contacts` group (one Lambda function): udata's contact points, which datasets name by
 * id in `contact_points`, and an organization's list of them.
 */
import {
  ContactPointCreateInputSchema,
  ContactPointResponseSchema,
  ContactPointRoleSchema,
  ContactPointUpdateInputSchema,
  lazySchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

const contactParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    contact: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'Expected a contact point id.')
      .meta({ description: 'The contact point id.' }),
  }),
);

export const ContactPointListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(ContactPointResponseSchema, 'ContactPointPage'),
);

const tags = ['contacts'];
const notTheirs = {
  403: { description: 'Not its owner nor a member of the organization owning it.' },
  404: { description: 'Unknown contact point.' },
};

export const contactRoutes = defineGroup('contacts', {
  createContactPoint: {
    method: 'POST',
    path: '/api/1/contacts/',
    summary: 'Create a contact point',
    description:
      'Any confirmed account, for itself or (`organization`) for an organization it belongs to. `role` is one of `GET /api/1/contacts/roles/` (`contact` when absent); a `contact` needs an `email` or a `contact_form` URL. Datasets then name it by id in `contact_points`.',
    tags,
    access: 'authenticated',
    body: ContactPointCreateInputSchema,
    responses: {
      201: { description: 'The contact point.', schema: ContactPointResponseSchema },
      400: {
        description:
          'Invalid field (a URL in the name, a bad email or URL, an unknown role, a contact with neither email nor contact form), or an organization the caller does not belong to.',
      },
      403: { description: 'The account is not confirmed yet.' },
    },
  },
  listContactPointRoles: {
    method: 'GET',
    path: '/api/1/contacts/roles/',
    summary: 'The contact point roles',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'udata’s roles: `{id, label}`.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ContactPointRoleSchema)),
      },
    },
  },
  getContactPoint: {
    method: 'GET',
    path: '/api/1/contacts/{contact}/',
    summary: 'A contact point',
    tags,
    access: 'public',
    params: contactParams,
    responses: {
      200: { description: 'The contact point.', schema: ContactPointResponseSchema },
      404: { description: 'Unknown contact point.' },
    },
  },
  updateContactPoint: {
    method: 'PUT',
    path: '/api/1/contacts/{contact}/',
    summary: 'Update a contact point (fields not sent keep their value)',
    description:
      'Its owner, or a member of the organization owning it. Datasets naming it show the change shortly after.',
    tags,
    access: 'authenticated',
    params: contactParams,
    body: ContactPointUpdateInputSchema,
    responses: {
      200: { description: 'The updated contact point.', schema: ContactPointResponseSchema },
      400: { description: 'Invalid field, or a contact left with neither email nor contact form.' },
      ...notTheirs,
      409: { description: 'It kept changing during the update; retry.' },
    },
  },
  deleteContactPoint: {
    method: 'DELETE',
    path: '/api/1/contacts/{contact}/',
    summary: 'Delete a contact point',
    description:
      'Its owner, or a member of the organization owning it. Deleted for good, as in udata; datasets naming it drop it shortly after.',
    tags,
    access: 'authenticated',
    params: contactParams,
    responses: { 204: { description: 'Deleted.' }, ...notTheirs },
  },
  listOrganizationContactPoints: {
    method: 'GET',
    path: '/api/1/organizations/{org}/contacts/',
    summary: 'An organization’s contact points, oldest first',
    tags,
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        org: z.string().min(1).max(300).meta({ description: 'The organization id or slug.' }),
      }),
    ),
    query: /* @__PURE__ */ lazySchema(() => z.object({ ...paginationQuery })),
    responses: {
      200: { description: 'A page of its contact points.', schema: ContactPointListSchema },
      404: { description: 'Unknown organization.' },
      410: { description: 'Deleted organization.' },
    },
  },
});
