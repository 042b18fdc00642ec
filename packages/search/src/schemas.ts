import {
  DATASET_SEARCH,
  ORGANIZATION_SEARCH,
  REUSE_SEARCH,
  type SearchKind,
  type SearchSchema,
  USER_SEARCH,
} from '@portail/core';

/** The schemas of the kinds the engines index. */
export const SEARCH_SCHEMAS: Partial<Record<SearchKind, SearchSchema>> = {
  datasets: DATASET_SEARCH,
  organizations: ORGANIZATION_SEARCH,
  reuses: REUSE_SEARCH,
  users: USER_SEARCH,
};
