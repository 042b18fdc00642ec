/** Routes of the `activity` group (one Lambda function): the activity stream. */
import { ActivityResponseSchema, lazySchema } from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

const objectId = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'Expected an id (24 hexadecimal characters).')
    .optional()
    .meta({ description: what });

export const ActivityPageSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(ActivityResponseSchema, 'ActivityPage'),
);

export const activityRoutes = defineGroup('activity', {
  listActivity: {
    method: 'GET',
    path: '/api/1/activity/',
    summary: 'The activity stream, newest first',
    description:
      'What happened on public objects, under udata’s activity keys (`dataset:created`, `dataset:resource:added`…), with the fields changed. Filters combine. Built from the events by a consumer: an action shows here a moment after it was answered.',
    tags: ['activity'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        user: objectId('Only what this user did.'),
        organization: objectId('Only what concerns this organization’s objects.'),
        related_to: objectId('Only what concerns this object (a dataset, an organization…).'),
      }),
    ),
    responses: { 200: { description: 'A page of activities.', schema: ActivityPageSchema } },
  },
});
