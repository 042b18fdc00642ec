/** Routes of the `datasets` group (one Lambda function). */
import {
  DatasetCreateInputSchema,
  DatasetResponseSchema,
  DatasetUpdateInputSchema,
  datasetSortSchema,
  FrequencyEntrySchema,
  formatFilterSchema,
  GranularityEntrySchema,
  LicenseSchema,
  licenseFilterSchema,
  ownerIdFilterSchema,
  ResourceTypeEntrySchema,
  SpatialGranularitySchema,
  tagFilterSchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, notSupportedYet, paginationQuery } from '@portail/http';
import * as z from 'zod';

const datasetParams = z.object({
  dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
});

export const DatasetListSchema = listEnvelopeSchema(DatasetResponseSchema, 'DatasetPage');

/** The orders an owner's listing serves (the same as `/datasets/`). */
const ownerListingQuery = z.object({ ...paginationQuery, sort: datasetSortSchema });

export const datasetRoutes = defineGroup('datasets', {
  listDatasets: {
    method: 'GET',
    path: '/api/1/datasets/',
    summary: 'List public datasets, filtered and sorted (newest first by default)',
    description:
      'Paginated with `page` and `page_size` like udata; `next_page` links carry a `cursor` so following them costs the same at any depth. Private, deleted and archived datasets are never listed. Filters combine (AND); `organization` and `owner` together answer 400. Each combination is served by one index Query (docs/data-model.md).',
    tags: ['datasets'],
    access: 'public',
    query: z.object({
      ...paginationQuery,
      q: notSupportedYet('q'),
      tag: tagFilterSchema,
      organization: ownerIdFilterSchema('organization'),
      owner: ownerIdFilterSchema('owner'),
      license: licenseFilterSchema,
      format: formatFilterSchema.meta({
        description: 'A resource format (`csv`, `json`…): datasets having a resource in it.',
      }),
      sort: datasetSortSchema,
    }),
    responses: { 200: { description: 'A page of datasets.', schema: DatasetListSchema } },
  },
  createDataset: {
    method: 'POST',
    path: '/api/1/datasets/',
    summary: 'Create a dataset',
    tags: ['datasets'],
    access: 'authenticated',
    body: DatasetCreateInputSchema,
    responses: { 201: { description: 'The dataset, with its unique slug.', schema: DatasetResponseSchema } },
  },
  listOrganizationDatasets: {
    method: 'GET',
    path: '/api/1/organizations/{org}/datasets/',
    summary: "An organization's datasets, newest first (private ones too for its members)",
    tags: ['datasets', 'organizations'],
    access: 'public',
    params: z.object({ org: z.string().min(1).max(300).meta({ description: 'Organization id or slug.' }) }),
    query: ownerListingQuery,
    responses: {
      200: { description: 'A page of datasets.', schema: DatasetListSchema },
      410: { description: 'Deleted organization.' },
    },
  },
  listMyDatasets: {
    method: 'GET',
    path: '/api/1/me/datasets/',
    summary: 'The datasets I own (private ones included), newest first',
    tags: ['datasets', 'me'],
    access: 'authenticated',
    query: ownerListingQuery,
    responses: { 200: { description: 'A page of datasets.', schema: DatasetListSchema } },
  },
  listUserDatasets: {
    method: 'GET',
    path: '/api/1/users/{user}/datasets/',
    summary: "A user's public datasets (all of them for the user and sysadmins), newest first",
    tags: ['datasets', 'users'],
    access: 'public',
    params: z.object({ user: z.string().min(1).max(300).meta({ description: 'User id or slug.' }) }),
    query: ownerListingQuery,
    responses: {
      200: { description: 'A page of datasets.', schema: DatasetListSchema },
      410: { description: 'Deleted account.' },
    },
  },
  listLicenses: {
    method: 'GET',
    path: '/api/1/datasets/licenses/',
    summary: 'The licenses a dataset may have',
    tags: ['datasets'],
    access: 'public',
    responses: { 200: { description: 'Every license, with its udata id.', schema: z.array(LicenseSchema) } },
  },
  listFrequencies: {
    method: 'GET',
    path: '/api/1/datasets/frequencies/',
    summary: 'The update frequencies a dataset may declare',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: { description: 'Every frequency id and its label.', schema: z.array(FrequencyEntrySchema) },
    },
  },
  listGranularities: {
    method: 'GET',
    path: '/api/1/datasets/granularities/',
    summary: 'The spatial granularities a dataset may declare',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: { description: 'Every granularity id and its label.', schema: z.array(GranularityEntrySchema) },
    },
  },
  listSpatialGranularities: {
    method: 'GET',
    path: '/api/1/spatial/granularities/',
    summary: "The spatial granularities, at udata's spatial path (`name` for the label)",
    tags: ['datasets', 'spatial'],
    access: 'public',
    responses: {
      200: { description: 'Every granularity id and its name.', schema: z.array(SpatialGranularitySchema) },
    },
  },
  listResourceTypes: {
    method: 'GET',
    path: '/api/1/datasets/resource_types/',
    summary: 'The types a resource may have',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: { description: 'Every resource type id and its label.', schema: z.array(ResourceTypeEntrySchema) },
    },
  },
  getDataset: {
    method: 'GET',
    path: '/api/1/datasets/{dataset}/',
    summary: 'A dataset, by id or slug',
    tags: ['datasets'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset.', schema: DatasetResponseSchema },
      410: { description: 'The dataset was deleted.' },
    },
  },
  updateDataset: {
    method: 'PUT',
    path: '/api/1/datasets/{dataset}/',
    summary: 'Update a dataset (fields not sent keep their value); `"deleted": null` restores a deleted one',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    body: DatasetUpdateInputSchema,
    responses: {
      200: { description: 'The updated dataset.', schema: DatasetResponseSchema },
      409: { description: 'The dataset changed during the update; retry.' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  deleteDataset: {
    method: 'DELETE',
    path: '/api/1/datasets/{dataset}/',
    summary: 'Delete a dataset (soft: it answers 410 afterwards)',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    responses: {
      204: { description: 'Deleted.' },
      410: { description: 'Already deleted.' },
    },
  },
});
