import * as z from 'zod';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import type { Organization } from '../organizations/organization';
import {
  hiddenDocument,
  popularityBoost,
  type SearchDocument,
  type SearchFilter,
  type SearchSchema,
} from './query';

/** What the organizations index holds. */
export const ORGANIZATION_SEARCH: SearchSchema = {
  kind: 'organizations',
  text: { name: 4, acronym: 5, description: 0.7 },
  titleField: 'name',
  exactFields: ['acronym'],
  keywords: ['id', 'badge'],
  numbers: ['created', 'last_modified', 'datasets', 'followers', 'reuses', 'views', 'members'],
};

export const ORGANIZATION_FACETS = ['badge'] as const;

export interface OrganizationSearchParams {
  badge?: string | undefined;
  /** Only these organizations (what a user follows, read by the caller): an empty list finds nothing. */
  ids?: readonly string[] | undefined;
}

/** The filters of an organization search, from its parsed parameters. */
export function organizationSearchFilters(params: OrganizationSearchParams): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (params.badge) filters.push({ kind: 'terms', field: 'badge', values: [params.badge], mode: 'all' });
  if (params.ids) filters.push({ kind: 'terms', field: 'id', values: params.ids, mode: 'any' });
  return filters;
}

/** udata's organization sorts (`-` for descending). */
export const ORGANIZATION_SEARCH_SORTS = [
  'name',
  'created',
  'last_modified',
  'datasets',
  'followers',
  'reuses',
  'views',
] as const;

export const organizationSearchSortSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "sort" once.' })
    .refine(
      (value) =>
        (ORGANIZATION_SEARCH_SORTS as readonly string[]).includes(value.replace(/^-/, '')) ||
        value === 'relevance',
      {
        error: (issue) =>
          `Unknown sort ${quoted(issue.input)}. Allowed values: ${ORGANIZATION_SEARCH_SORTS.map((sort) => `${sort}, -${sort}`).join(', ')}.`,
      },
    )
    .optional()
    .meta({
      description: `One of ${ORGANIZATION_SEARCH_SORTS.join(', ')} (\`-\` for descending). Default: relevance when \`q\` is given, else \`-created\`.`,
    }),
);

const count = (organization: Organization, name: string): number => {
  const metrics = (organization as { metrics?: Record<string, unknown> }).metrics;
  const value = metrics?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

/** The document of an organization: hidden once deleted. */
export function organizationSearchDocument(
  organization: Organization,
  counts: { datasets: number } = { datasets: 0 },
): SearchDocument {
  if (organization.deleted) return hiddenDocument(organization.id, organization.version);
  const badges = organization.badges.map((badge) => badge.kind);
  const numbers = {
    created: Date.parse(organization.created_at),
    last_modified: Date.parse(organization.last_modified),
    datasets: counts.datasets,
    followers: count(organization, 'followers'),
    reuses: count(organization, 'reuses'),
    views: count(organization, 'views'),
    members: Object.keys(organization.members).length,
  };
  return {
    id: organization.id,
    version: organization.version,
    visible: true,
    text: {
      name: organization.name,
      acronym: organization.acronym ?? '',
      description: organization.description,
    },
    keywords: { id: [organization.id], badge: badges },
    numbers,
    boost: popularityBoost({
      followers: numbers.followers,
      reuses: numbers.reuses,
      views: numbers.views,
      publicService: badges.includes('public-service'),
    }),
  };
}
