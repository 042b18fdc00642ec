/**
 * Routes of the `community-resources` group (one Lambda function): resources that anyone attaches to
 * someone else's dataset, listed apart from the producer's.
 */
import {
  ChunkReceivedSchema,
  CommunityResourceCreateInputSchema,
  CommunityResourceResponseSchema,
  CommunityResourceUpdateInputSchema,
  CommunityUploadRequestSchema,
  lazySchema,
  PresignedPostUploadSchema,
  UploadRequestSchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

const communityParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    crid: z.string().min(1).max(100).meta({ description: 'The community resource id.' }),
  }),
);

export const CommunityResourceListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(CommunityResourceResponseSchema, 'CommunityResourcePage'),
);

export const CommunityUploadAnswerSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({ resource: CommunityResourceResponseSchema, upload: PresignedPostUploadSchema })
    .meta({ id: 'CommunityUploadAnswer' }),
);

const tags = ['community resources'];

export const communityResourceRoutes = defineGroup('community-resources', {
  listCommunityResources: {
    method: 'GET',
    path: '/api/1/datasets/community_resources/',
    summary: 'List community resources, newest first',
    description:
      'All of them, or those of one dataset (`dataset`: id or slug), or of one owner (`owner`: a user id; `organization`: an organization id).',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        dataset: z.string().min(1).max(300).optional().meta({ description: 'A dataset id or slug.' }),
        owner: z.string().min(1).max(64).optional().meta({ description: 'A user id.' }),
        organization: z.string().min(1).max(64).optional().meta({ description: 'An organization id.' }),
      }),
    ),
    responses: {
      200: { description: 'A page of community resources.', schema: CommunityResourceListSchema },
      404: { description: 'Unknown dataset.' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  createCommunityResource: {
    method: 'POST',
    path: '/api/1/datasets/community_resources/',
    summary: 'Attach a link to a dataset as a community resource',
    description:
      'Any confirmed account, on any dataset it can see; `organization` posts it for an organization the caller belongs to. Files go through `POST /api/1/datasets/{dataset}/upload/community/`.',
    tags,
    access: 'authenticated',
    body: CommunityResourceCreateInputSchema,
    responses: {
      201: { description: 'The community resource.', schema: CommunityResourceResponseSchema },
      400: {
        description: 'Invalid field, unknown dataset, or an organization the caller does not belong to.',
      },
      403: { description: 'The account is not confirmed yet.' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  getCommunityResource: {
    method: 'GET',
    path: '/api/1/datasets/community_resources/{crid}/',
    summary: 'A community resource',
    tags,
    access: 'public',
    params: communityParams,
    responses: {
      200: { description: 'The community resource.', schema: CommunityResourceResponseSchema },
      404: { description: 'Unknown (or on a private dataset the caller cannot see).' },
      410: { description: 'Its dataset was deleted.' },
    },
  },
  updateCommunityResource: {
    method: 'PUT',
    path: '/api/1/datasets/community_resources/{crid}/',
    summary: 'Update a community resource (fields not sent keep their value)',
    description: 'Its owner: the user who posted it, or members of the organization it was posted for.',
    tags,
    access: 'authenticated',
    params: communityParams,
    body: CommunityResourceUpdateInputSchema,
    responses: {
      200: { description: 'The updated community resource.', schema: CommunityResourceResponseSchema },
      403: { description: 'Not its owner.' },
      409: { description: 'It changed during the update; retry.' },
      410: { description: 'Its dataset was deleted.' },
    },
  },
  deleteCommunityResource: {
    method: 'DELETE',
    path: '/api/1/datasets/community_resources/{crid}/',
    summary: 'Delete a community resource',
    description: 'Its owner: the user who posted it, or members of the organization it was posted for.',
    tags,
    access: 'authenticated',
    params: communityParams,
    responses: {
      204: { description: 'Deleted.' },
      403: { description: 'Not its owner.' },
      410: { description: 'Its dataset was deleted.' },
    },
  },
  uploadCommunityFile: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/upload/community/',
    summary: 'Attach a file to a dataset as a community resource: a presigned S3 POST',
    description:
      'Any confirmed account. The browser then sends the file straight to S3 with the form; finalize measures and checks it, and only then the community resource appears (its `status` says `pending`, then `available` or `refused` with the reason). One presigned POST, up to the configured maximum size. Or, as udata: the file itself as `multipart/form-data` (a `file` part, up to 4 MiB), answered with the community resource once finalize accepted it.',
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
      }),
    ),
    body: CommunityUploadRequestSchema,
    acceptsForm: true,
    responses: {
      200: {
        description: "A chunk of udata's chunked upload protocol, received: `{success: true}`.",
        schema: ChunkReceivedSchema,
      },
      201: {
        description:
          'JSON declaration: the pending community resource and its upload form. Form upload (or the last request of a chunked one): the community resource, its file accepted.',
        schema: /* @__PURE__ */ lazySchema(() =>
          z.union([CommunityUploadAnswerSchema, CommunityResourceResponseSchema]),
        ),
      },
      400: { description: 'Invalid field, or an organization the caller does not belong to.' },
      403: { description: 'The account is not confirmed yet.' },
      404: { description: 'Unknown dataset (or private and not visible to the caller).' },
      410: { description: 'The dataset was deleted.' },
      413: { description: 'The file is larger than a community upload may be.' },
      415: { description: 'An HTML page.' },
    },
  },
  replaceCommunityFile: {
    method: 'POST',
    path: '/api/1/datasets/community_resources/{crid}/upload/',
    summary: "Upload a new version of a community resource's file (its id and `latest` stay)",
    description:
      "Its owner: the user who posted it, or members of the organization it was posted for. As udata: the file itself as `multipart/form-data` (a `file` part, up to 4 MiB), or udata's chunked protocol for any size (each chunk answered `{success: true}`, the last request without a file), answered with the community resource once finalize accepted the new file. Or the JSON declaration `{filename, size, mime}`, answered with a presigned S3 POST. The current file is served until the new one is accepted, then deleted.",
    tags,
    access: 'authenticated',
    params: communityParams,
    body: UploadRequestSchema,
    acceptsForm: true,
    responses: {
      200: {
        description:
          'Form upload (or the last request of a chunked one): the community resource, its new file accepted. A chunk: `{success: true}`.',
        schema: /* @__PURE__ */ lazySchema(() =>
          z.union([CommunityResourceResponseSchema, ChunkReceivedSchema]),
        ),
      },
      201: {
        description: 'JSON declaration: the community resource and its upload form.',
        schema: CommunityUploadAnswerSchema,
      },
      400: {
        description:
          'Invalid field, a chunk that does not match its form, or a remote link (no file to replace).',
      },
      403: { description: 'Not its owner, or the account is not confirmed yet.' },
      404: { description: 'Unknown community resource.' },
      410: { description: 'Its dataset was deleted.' },
      413: { description: 'A form above 4 MiB, or a declared file above the presigned POST limit.' },
      415: { description: 'An HTML page.' },
    },
  },
});
